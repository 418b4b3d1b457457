import { FileAdapter } from '@grammyjs/storage-file';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { MemorySessionStorage, type Context, type StorageAdapter } from 'grammy';
import { Redis } from 'ioredis';
import type { HistoryTurn } from '../types.js';
import { describeError } from '../errors.js';
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
  const oldest = now - settings.ttlMinutes * 60_000;
  const answer = turn.answer.length > MAX_ANSWER_CHARS ? `${turn.answer.slice(0, MAX_ANSWER_CHARS)}…` : turn.answer;
  const turns = [...(session?.turns ?? []).filter((stored) => stored.at >= oldest), { question: turn.question, answer, at: now }];
  return { turns: settings.turns > 0 ? turns.slice(-settings.turns) : [] };
}

export interface SessionStore {
  storage: StorageAdapter<SessionData>;
  /** Connections to close on shutdown (Redis). */
  close(): Promise<void>;
  /** The Redis client, shared with the rate limiter so limits hold across restarts and replicas. */
  redis?: Redis;
}

/** Memory (default), files under SESSION_FILE_DIR, or Redis at REDIS_URL; all expire with the history TTL. */
export function createSessionStore(settings: BotConfig['session'], log: Log): SessionStore {
  const ttlMs = settings.historyTtlMinutes * 60_000;
  switch (settings.storage) {
    case 'memory':
      return { storage: new MemorySessionStorage<SessionData>(ttlMs), close: async () => undefined };
    case 'file':
      return { storage: new FileAdapter<SessionData>({ dirName: settings.fileDir }), close: async () => undefined };
    case 'redis': {
      const redis = new Redis(settings.redisUrl!, { maxRetriesPerRequest: 2 });
      // Without a listener ioredis prints the error itself (URL and all); a failed read only costs one answer.
      let lastLogged = 0;
      redis.on('error', (error: unknown) => {
        if (Date.now() - lastLogged < 30_000) return;
        lastLogged = Date.now();
        log(`Redis (sessions): ${describeError(error)}`);
      });
      return {
        storage: new RedisAdapter<SessionData>({ instance: redis, ttl: Math.ceil(ttlMs / 1000) }),
        redis,
        close: async () => {
          await redis.quit().catch(() => redis.disconnect());
        },
      };
    }
  }
}
