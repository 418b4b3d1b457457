import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { DEFAULT_REDIS_COMMAND_TIMEOUT_MS } from '../redis.js';

export type SessionStorageKind = 'memory' | 'file' | 'redis';

/** A chat listed in SUMMARY_CHAT_IDS, with the language of its digests' headings (zh unless ":en"). */
export interface ConfiguredSummaryChat {
  chatId: number;
  language: 'zh' | 'en';
}

/** Forum digests: how they are written, who gets them pushed, and where subscriptions are kept. */
export interface SummaryConfig {
  /** auto = written by the LLM (verified) when one is configured, else extractive; extractive = never the LLM. */
  mode: 'auto' | 'extractive';
  /** Chats subscribed by configuration (SUMMARY_CHAT_IDS), besides those that sent /subscribe. */
  chats: ConfiguredSummaryChat[];
  /** The subscription store's file (when REDIS_URL is not set). */
  file: string;
  /** Subscriptions live in Redis when set. */
  redisUrl?: string;
  /** The longest one Redis command may take before Redis counts as away (REDIS_COMMAND_TIMEOUT_MS). */
  redisCommandTimeoutMs?: number;
}

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
    /** The longest one Redis command may take before Redis counts as away (REDIS_COMMAND_TIMEOUT_MS). */
    redisCommandTimeoutMs?: number;
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
  /** getUpdates' long-poll timeout; its HTTP request is abandoned a few seconds after it. */
  pollTimeoutSeconds: number;
  /** Any other call to Telegram with no answer within this long counts as failed. */
  requestTimeoutSeconds: number;
  summaries: SummaryConfig;
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
      redisCommandTimeoutMs: redisCommandTimeout(read),
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
    pollTimeoutSeconds: integer(read, 'TELEGRAM_POLL_TIMEOUT_SECONDS', 30, 1, 50),
    requestTimeoutSeconds: integer(read, 'TELEGRAM_REQUEST_TIMEOUT_SECONDS', 30, 1, 600),
    summaries: loadSummaryConfig(environment),
  };
}

/** The digest settings alone (no token needed: `npm run summary` reads them too). */
export function loadSummaryConfig(environment: Environment): SummaryConfig {
  const read = (name: string): string | undefined => environment[name]?.trim() || undefined;
  const mode = (read('SUMMARY_MODE') ?? 'auto').toLowerCase();
  if (mode !== 'auto' && mode !== 'extractive') throw new ConfigError(`SUMMARY_MODE must be auto or extractive (got "${mode}").`);
  return {
    mode,
    chats: summaryChats(read('SUMMARY_CHAT_IDS')),
    file: read('SUBSCRIPTIONS_FILE') ?? '.cache/subscriptions.json', // .cache/ is git-ignored
    redisUrl: read('REDIS_URL'),
    redisCommandTimeoutMs: redisCommandTimeout(read),
  };
}

const redisCommandTimeout = (read: (name: string) => string | undefined) => integer(read, 'REDIS_COMMAND_TIMEOUT_MS', DEFAULT_REDIS_COMMAND_TIMEOUT_MS, 50, 60000);

function summaryChats(value: string | undefined): ConfiguredSummaryChat[] {
  const chats = new Map<number, ConfiguredSummaryChat>();
  for (const part of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    const match = /^(-?\d+)(?::(zh|en))?$/i.exec(part);
    const chatId = match ? Number(match[1]) : Number.NaN;
    if (!match || !Number.isSafeInteger(chatId) || chatId === 0) {
      throw new ConfigError(
        `SUMMARY_CHAT_IDS must be numeric chat ids separated by commas, each optionally followed by :en or :zh, e.g. -1001234567890,-1009876543210:en (got "${part}"). A channel's id starts with -100; forward a post to @userinfobot or see the bot's log after /subscribe.`,
      );
    }
    chats.set(chatId, { chatId, language: (match[2]?.toLowerCase() as 'zh' | 'en' | undefined) ?? 'zh' });
  }
  return [...chats.values()];
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
