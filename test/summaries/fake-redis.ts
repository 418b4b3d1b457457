/**
 * A tiny Redis server (RESP2 over a real TCP socket on 127.0.0.1) with the commands the
 * subscription store uses: hashes, DEL, MULTI/EXEC, and what ioredis sends on connecting.
 * RESP3 (HELLO 3) is refused the way Redis 5 does, so the client falls back to RESP2.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FakeRedis {
  url: string;
  /** Every command received (upper-cased name first). */
  commands: string[][];
  hashes: Map<string, Map<string, string>>;
  /** Answer the next `times` commands named `name` with an error. */
  fail(name: string, times?: number): void;
  close(): Promise<void>;
}

type Reply = { simple: string } | { error: string } | { bulk: string | null } | { integer: number } | { array: Reply[] | null };

function encode(reply: Reply): string {
  if ('simple' in reply) return `+${reply.simple}\r\n`;
  if ('error' in reply) return `-${reply.error}\r\n`;
  if ('integer' in reply) return `:${reply.integer}\r\n`;
  if ('bulk' in reply) return reply.bulk === null ? '$-1\r\n' : `$${Buffer.byteLength(reply.bulk)}\r\n${reply.bulk}\r\n`;
  if (reply.array === null) return '*-1\r\n';
  return `*${reply.array.length}\r\n${reply.array.map(encode).join('')}`;
}

/** Parses as many complete RESP arrays of bulk strings as the buffer holds. */
function parse(buffer: Buffer): { commands: string[][]; rest: Buffer } {
  const commands: string[][] = [];
  let offset = 0;
  const line = (from: number): [string, number] | undefined => {
    const end = buffer.indexOf('\r\n', from);
    return end < 0 ? undefined : [buffer.subarray(from, end).toString(), end + 2];
  };
  for (;;) {
    const head = line(offset);
    if (!head || !head[0].startsWith('*')) break;
    const count = Number(head[0].slice(1));
    let position = head[1];
    const args: string[] = [];
    let complete = true;
    for (let i = 0; i < count; i++) {
      const size = line(position);
      if (!size) {
        complete = false;
        break;
      }
      const length = Number(size[0].slice(1));
      if (buffer.length < size[1] + length + 2) {
        complete = false;
        break;
      }
      args.push(buffer.subarray(size[1], size[1] + length).toString());
      position = size[1] + length + 2;
    }
    if (!complete) break;
    commands.push(args);
    offset = position;
  }
  return { commands, rest: buffer.subarray(offset) };
}

export async function startFakeRedis(): Promise<FakeRedis> {
  const hashes = new Map<string, Map<string, string>>();
  const commands: string[][] = [];
  const failures = new Map<string, number>();
  const sockets = new Set<net.Socket>();

  function run(args: string[]): Reply {
    const [name = '', ...rest] = args;
    const command = name.toUpperCase();
    const failing = failures.get(command) ?? 0;
    if (failing > 0) {
      failures.set(command, failing - 1);
      return { error: 'ERR injected failure' };
    }
    switch (command) {
      case 'HELLO':
        return { error: 'NOPROTO sorry, this protocol version is not supported' };
      case 'PING':
        return { simple: 'PONG' };
      case 'INFO':
        return { bulk: '# Server\r\nredis_version:5.0.0\r\nloading:0\r\n' };
      case 'CLIENT':
      case 'SELECT':
        return { simple: 'OK' };
      case 'QUIT':
        return { simple: 'OK' };
      case 'HGET':
        return { bulk: hashes.get(rest[0]!)?.get(rest[1]!) ?? null };
      case 'HGETALL':
        return { array: [...(hashes.get(rest[0]!) ?? new Map<string, string>())].flatMap(([field, value]) => [{ bulk: field }, { bulk: value }]) };
      case 'HSET': {
        const hash = hashes.get(rest[0]!) ?? new Map<string, string>();
        hashes.set(rest[0]!, hash);
        let added = 0;
        for (let i = 1; i + 1 < rest.length; i += 2) {
          if (!hash.has(rest[i]!)) added++;
          hash.set(rest[i]!, rest[i + 1]!);
        }
        return { integer: added };
      }
      case 'HDEL': {
        const hash = hashes.get(rest[0]!);
        let removed = 0;
        for (const field of rest.slice(1)) if (hash?.delete(field)) removed++;
        if (hash?.size === 0) hashes.delete(rest[0]!);
        return { integer: removed };
      }
      case 'DEL': {
        let removed = 0;
        for (const key of rest) if (hashes.delete(key)) removed++;
        return { integer: removed };
      }
      default:
        return { error: `ERR unknown command '${name}'` };
    }
  }

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer: Buffer = Buffer.alloc(0);
    let queued: string[][] | undefined;
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      const parsed = parse(buffer);
      buffer = parsed.rest;
      let out = '';
      for (const args of parsed.commands) {
        commands.push([args[0]!.toUpperCase(), ...args.slice(1)]);
        const name = args[0]!.toUpperCase();
        if (name === 'MULTI') {
          queued = [];
          out += encode({ simple: 'OK' });
        } else if (name === 'EXEC') {
          // Atomic here: the whole queue runs in one go, no other client in between.
          const replies = (queued ?? []).map(run);
          queued = undefined;
          out += encode({ array: replies });
        } else if (name === 'DISCARD') {
          queued = undefined;
          out += encode({ simple: 'OK' });
        } else if (queued) {
          queued.push(args);
          out += encode({ simple: 'QUEUED' });
        } else {
          out += encode(run(args));
        }
        if (name === 'QUIT') {
          socket.end(out);
          return;
        }
      }
      if (out) socket.write(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    commands,
    hashes,
    fail: (name, times = 1) => void failures.set(name.toUpperCase(), times),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
