/**
 * A real redis-server (Debian's package) on 127.0.0.1 for a test: a free port, no persistence,
 * ended with the test. `.ci/run` installs it; without it the test fails with the fix.
 * Faults: kill() (down: connections refused), restart() on the same port (back, empty),
 * pause()/resume() (SIGSTOP/SIGCONT: hung — connections accepted, nothing answered).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL): Redis is down, connections are refused. */
  kill(): Promise<void>;
  /** Starts a fresh (empty) server on the same port after kill(). */
  restart(): Promise<void>;
  /** SIGSTOP: the server hangs — the socket stays open, no command is answered. */
  pause(): void;
  /** SIGCONT: it answers again, queued commands included. */
  resume(): void;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function spawnServer(port: number): Promise<ChildProcess> {
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}: ${output}`)), 10_000);
    child.stdout!.on('data', (chunk) => {
      output += String(chunk);
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}): ${output}`));
    });
  });
  return child;
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is not installed: apt-get install redis-server (the tests run the real server).');
  const port = await freePort();
  let child = await spawnServer(port);
  let paused = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => ended(child, 'SIGKILL'),
    async restart() {
      await ended(child, 'SIGKILL');
      child = await spawnServer(port);
      paused = false;
    },
    pause() {
      child.kill('SIGSTOP');
      paused = true;
    },
    resume() {
      child.kill('SIGCONT');
      paused = false;
    },
    async close() {
      if (paused) child.kill('SIGCONT');
      await ended(child, 'SIGTERM');
    },
  };
}
