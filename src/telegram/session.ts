import { FileAdapter } from '@grammyjs/storage-file';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { MemorySessionStorage, type Context, type StorageAdapter } from 'grammy';
import { RedisConnection, RedisUnavailableError } from '../redis.js';
import type { HistoryTurn } from '../types.js';
import type { BotConfig } from './config.js';
import type { Log } from './redact.js';

/** A remembered question and (shortened) answer, with when it was asked. */
export interface StoredTurn extends HistoryTurn {
  at: number;
}

/** Per chat (per forum topic in forum groups): just enough for follow-up questions. */
export interface SessionData {
  turns: StoredTurn[];
}

export interface HistorySettings {
  turns: number;
  ttlMinutes: number;
}

// The asker only needs the gist of earlier answers to resolve "she"/"it"; long ones just bloat storage.
const MAX_ANSWER_CHARS = 600;

export const initialSession = (): SessionData => ({ turns: [] });

/**
 * A chat's session while its store (Redis) is away: no history, and never written back — so a
 * question meanwhile is answered as a first question, and the history from before is still there
 * when Redis returns.
 */
export const UNAVAILABLE_SESSION: SessionData = Object.freeze({ turns: Object.freeze([]) as unknown as StoredTurn[] });

/** One conversation per chat, and per topic in forum supergroups. */
export function sessionKey(ctx: Context): string | undefined {
  if (!ctx.chat) return undefined;
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  return thread !== undefined ? `${ctx.chat.id}:${thread}` : String(ctx.chat.id);
}

/** The turns still fresh enough to count as the same conversation, oldest first. */
export function recentHistory(session: SessionData | undefined, settings: HistorySettings, now = Date.now()): HistoryTurn[] {
  const oldest = now - settings.ttlMinutes * 60_000;
  return (session?.turns ?? [])
    .filter((turn) => turn.at >= oldest)
    .slice(-settings.turns)
    .map(({ question, answer }) => ({ question, answer }));
}

export function rememberTurn(session: SessionData | undefined, turn: HistoryTurn, settings: HistorySettings, now = Date.now()): SessionData {
  if (session === UNAVAILABLE_SESSION) return session;
  const oldest = now - settings.ttlMinutes * 60_000;
  const answer = turn.answer.length > MAX_ANSWER_CHARS ? `${turn.answer.slice(0, MAX_ANSWER_CHARS)}…` : turn.answer;
  const turns = [...(session?.turns ?? []).filter((stored) => stored.at >= oldest), { question: turn.question, answer, at: now }];
  return { turns: settings.turns > 0 ? turns.slice(-settings.turns) : [] };
}

export interface SessionStore {
  storage: StorageAdapter<SessionData>;
  /** Connections to close on shutdown (Redis). */
  close(): Promise<void>;
  /** The Redis connection, shared with the rate limiter and the subscriptions so limits hold across restarts and replicas. */
  redis?: RedisConnection;
}

export type SessionSettings = Pick<BotConfig['session'], 'storage' | 'fileDir' | 'redisUrl' | 'historyTtlMinutes' | 'redisCommandTimeoutMs'>;

/** Memory (default), files under SESSION_FILE_DIR, or Redis at REDIS_URL; all expire with the history TTL. */
export function createSessionStore(settings: SessionSettings, log: Log): SessionStore {
  const ttlMs = settings.historyTtlMinutes * 60_000;
  switch (settings.storage) {
    case 'memory':
      return { storage: new MemorySessionStorage<SessionData>(ttlMs), close: async () => undefined };
    case 'file':
      return { storage: new FileAdapter<SessionData>({ dirName: settings.fileDir }), close: async () => undefined };
    case 'redis': {
      const redis = new RedisConnection(settings.redisUrl!, {
        log,
        commandTimeoutMs: settings.redisCommandTimeoutMs,
        meanwhile: 'questions are answered without conversation history or rate limits, and digests wait until it is back.',
      });
      const storage = new RedisAdapter<SessionData>({ instance: redis.client, ttl: Math.ceil(ttlMs / 1000) });
      return { storage: new SessionsWithoutRedis(storage, redis), redis, close: () => redis.close() };
    }
  }
}

/**
 * Redis sessions that never fail a question: while Redis is away a read gives UNAVAILABLE_SESSION
 * (answered without history) and a write is dropped (the turn is not remembered) — no apology after
 * an answer, no wait beyond the command timeout.
 */
class SessionsWithoutRedis implements StorageAdapter<SessionData> {
  constructor(
    private readonly inner: StorageAdapter<SessionData>,
    private readonly redis: RedisConnection,
  ) {}

  async read(key: string): Promise<SessionData | undefined> {
    return this.unlessAway(async () => this.inner.read(key), UNAVAILABLE_SESSION);
  }

  async write(key: string, value: SessionData): Promise<void> {
    if (value === UNAVAILABLE_SESSION) return;
    await this.unlessAway(async () => this.inner.write(key, value), undefined);
  }

  async delete(key: string): Promise<void> {
    await this.unlessAway(async () => this.inner.delete(key), undefined);
  }

  private async unlessAway<T>(operation: () => Promise<T>, meanwhile: T): Promise<T> {
    try {
      return await this.redis.run(operation);
    } catch (error) {
      if (error instanceof RedisUnavailableError) return meanwhile;
      throw error;
    }
  }
}
