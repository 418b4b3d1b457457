import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';

export type SessionStorageKind = 'memory' | 'file' | 'redis';

/** The bot's settings (the answering settings stay in src/config.ts). Read from an env object so tests pass their own. */
export interface BotConfig {
  token: string;
  /** A self-hosted Bot API server (or the test fake); undefined = api.telegram.org. */
  apiRoot?: string;
  webhook?: { url: string; path: string; host: string; port: number; secret: string };
  adminUserIds: ReadonlySet<number>;
  session: {
    storage: SessionStorageKind;
    fileDir: string;
    redisUrl?: string;
    /** Question/answer pairs remembered per chat (or forum topic) for follow-ups. */
    historyTurns: number;
    historyTtlMinutes: number;
  };
  /** Questions per user per window; 0 questions = no limit. */
  rateLimit: { questions: number; windowSeconds: number };
  /** Outgoing throttling to Telegram's published limits (off only for local benchmarks). */
  throttle: boolean;
  /** Minimum gap between edits of a streamed answer. */
  streamEditIntervalMs: number;
  /** How long SIGINT/SIGTERM waits for in-flight replies. */
  shutdownTimeoutMs: number;
}

type Environment = Record<string, string | undefined>;

export function loadBotConfig(environment: Environment): BotConfig {
  const read = (name: string): string | undefined => environment[name]?.trim() || undefined;
  const token = read('TELEGRAM_BOT_TOKEN');
  if (!token) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env (see .env.example).');
  }
  const apiRoot = read('TELEGRAM_API_ROOT')?.replace(/\/+$/, '');
  if (apiRoot && !/^https?:\/\//.test(apiRoot)) throw new ConfigError(`TELEGRAM_API_ROOT must be an http(s) URL (got "${apiRoot}").`);

  const storage = (read('SESSION_STORAGE') ?? 'memory').toLowerCase();
  if (!['memory', 'file', 'redis'].includes(storage)) throw new ConfigError(`SESSION_STORAGE must be memory, file or redis (got "${storage}").`);
  const redisUrl = read('REDIS_URL');
  if (storage === 'redis' && !redisUrl) throw new ConfigError('SESSION_STORAGE=redis needs REDIS_URL (e.g. redis://localhost:6379).');

  return {
    token,
    apiRoot,
    webhook: webhookSettings(read, token),
    adminUserIds: adminIds(read('ADMIN_USER_IDS')),
    session: {
      storage: storage as SessionStorageKind,
      fileDir: read('SESSION_FILE_DIR') ?? '.cache/sessions', // .cache/ is git-ignored
      redisUrl,
      historyTurns: integer(read, 'HISTORY_TURNS', 4, 0, 20),
      historyTtlMinutes: integer(read, 'HISTORY_TTL_MINUTES', 30, 1, 7 * 24 * 60),
    },
    rateLimit: {
      questions: integer(read, 'RATE_LIMIT_QUESTIONS', 8, 0, 10000),
      windowSeconds: integer(read, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86400),
    },
    throttle: (read('TELEGRAM_THROTTLE') ?? 'true') !== 'false',
    streamEditIntervalMs: integer(read, 'STREAM_EDIT_INTERVAL_MS', 1500, 200, 60000),
    shutdownTimeoutMs: integer(read, 'SHUTDOWN_TIMEOUT_MS', 5000, 0, 60000),
  };
}

function webhookSettings(read: (name: string) => string | undefined, token: string): BotConfig['webhook'] {
  const url = read('WEBHOOK_URL');
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`WEBHOOK_URL must be a full https URL (got "${url}").`);
  }
  // Telegram only accepts A-Z, a-z, 0-9, _ and - (1–256); derived from the token when unset so it is stable across restarts.
  const secret = read('WEBHOOK_SECRET') ?? createHash('sha256').update(`webhook:${token}`).digest('hex');
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw new ConfigError('WEBHOOK_SECRET may only contain A-Z, a-z, 0-9, _ and - (at most 256 characters).');
  return {
    url,
    path: parsed.pathname || '/',
    host: read('WEBHOOK_HOST') ?? '0.0.0.0',
    port: integer(read, 'WEBHOOK_PORT', 8080, 0, 65535),
    secret,
  };
}

function adminIds(value: string | undefined): ReadonlySet<number> {
  const ids = new Set<number>();
  for (const part of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    const id = Number(part);
    if (!Number.isSafeInteger(id)) throw new ConfigError(`ADMIN_USER_IDS must be numeric Telegram user ids separated by commas (got "${part}").`);
    ids.add(id);
  }
  return ids;
}

function integer(read: (name: string) => string | undefined, name: string, fallback: number, min: number, max: number): number {
  const value = read(name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
  }
  return parsed;
}
