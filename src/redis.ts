/**
 * One Redis connection the bot can live without (sessions, rate-limit counters, subscriptions).
 *
 * Every command is bounded (commandTimeout), nothing waits in an offline queue while Redis is
 * disconnected, and nothing a caller saw fail is re-sent behind its back after a reconnect. Once a
 * command fails for want of Redis (refused, closed, timed out: a down or hung server) the
 * connection is marked unavailable: later commands fail at once with RedisUnavailableError instead
 * of each waiting out the timeout, until Redis answers again. It says so in the log once when it
 * goes and once when it returns, not once per question.
 */
import { Redis, ReplyError } from 'ioredis';
import { ForumBotError, describeError } from './errors.js';

/** Redis is away (down, hung or unreachable): the caller goes on without it. */
export class RedisUnavailableError extends ForumBotError {}

export interface RedisConnectionOptions {
  log: (line: string) => void;
  /** The longest any one command may take (REDIS_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs?: number;
  /** What users and maintainers lose meanwhile, for the log line when Redis goes away. */
  meanwhile: string;
}

export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 1000;

// Replies that mean "not now" rather than "wrong command": a server loading its data, a script running, a replica without its master.
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/;

export class RedisConnection {
  readonly client: Redis;
  /** host:port, for log lines (never the URL: it may hold a password). */
  readonly where: string;
  private state: 'starting' | 'up' | 'down' = 'starting';
  private downSince = 0;
  private lastError = '';
  private closing = false;
  private readonly started: Promise<void>;
  private readonly commandTimeoutMs: number;
  private readonly returnListeners: (() => void)[] = [];

  constructor(
    url: string,
    private readonly options: RedisConnectionOptions,
  ) {
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
    this.where = redisHost(url);
    this.client = new Redis(url, {
      commandTimeout: this.commandTimeoutMs,
      connectTimeout: Math.max(1000, 2 * this.commandTimeoutMs),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // Reconnect soon after Redis returns: at most a second between attempts.
      retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    });
    // Without a listener ioredis prints each error itself (URL and all).
    this.client.on('error', (error: unknown) => (this.lastError = describeError(error)));
    this.client.on('ready', () => this.markUp());
    this.client.on('close', () => {
      if (!this.closing && this.state === 'up') this.markDown(this.lastError || 'the connection closed');
    });
    this.started = new Promise<void>((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        this.client.off('ready', settle);
        this.client.off('close', settle);
        resolve();
      };
      // A refused connection is known at once; a server that accepts but never answers, after the connect timeout.
      const timer = setTimeout(settle, Math.max(1000, 2 * this.commandTimeoutMs));
      this.client.once('ready', settle);
      this.client.once('close', settle);
    }).then(() => {
      if (this.state === 'starting') this.markDown(this.lastError || `no answer within ${Math.max(1000, 2 * this.commandTimeoutMs)} ms`);
    });
  }

  /** Whether commands are being sent (false while Redis is known to be away). */
  get available(): boolean {
    return this.state === 'up';
  }

  /** Calls `listener` each time Redis answers again after being away (e.g. to deliver what waited). */
  onReturn(listener: () => void): void {
    this.returnListeners.push(listener);
  }

  /** Resolves once the first connection has succeeded or failed (bounded by the connect timeout). */
  ready(): Promise<void> {
    return this.started;
  }

  /**
   * Sends one command (or MULTI/EXEC, or a script). While Redis is away it fails at once with
   * RedisUnavailableError; a timeout or a lost connection marks Redis away and fails the same way.
   * Redis's own error replies (a wrong command) are passed on as they are.
   */
  async run<T>(command: (client: Redis) => Promise<T>): Promise<T> {
    if (this.state === 'starting') await this.started;
    if (this.state === 'down') throw new RedisUnavailableError(`Redis at ${this.where} is unavailable`);
    try {
      return await command(this.client);
    } catch (error) {
      if (!isUnavailability(error)) throw error;
      const reason = this.reason(describeError(error));
      this.markDown(reason);
      // A hung server keeps the socket open: start over, so the stuck commands are dropped and 'ready' says when it answers again.
      if (this.client.status === 'ready') this.client.disconnect(true);
      throw new RedisUnavailableError(`Redis at ${this.where} is unavailable: ${reason}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }

  private markDown(reason: string): void {
    if (this.state === 'down' || this.closing) return;
    this.state = 'down';
    this.downSince = Date.now();
    this.options.log(`Redis at ${this.where} is unreachable (${this.reason(reason)}): ${this.options.meanwhile}`);
  }

  /** ioredis says only "Command timed out"; the log says how long it waited. */
  private reason(error: string): string {
    return /timed out/i.test(error) ? `no reply within ${this.commandTimeoutMs} ms` : error;
  }

  private markUp(): void {
    const was = this.state;
    this.state = 'up';
    this.lastError = '';
    if (was !== 'down') return;
    this.options.log(`Redis at ${this.where} is back after ${((Date.now() - this.downSince) / 1000).toFixed(1)} s.`);
    for (const listener of this.returnListeners) listener();
  }
}

function isUnavailability(error: unknown): boolean {
  if (error instanceof ReplyError) return UNAVAILABLE_REPLY.test((error as Error).message);
  // Anything else from ioredis is about the connection (timed out, closed, refused, not writeable).
  return !(error instanceof TypeError || error instanceof SyntaxError || error instanceof RangeError);
}

/** host:port of a Redis URL, without user or password. */
export function redisHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}`;
  } catch {
    return 'REDIS_URL';
  }
}
