import { sequentialize } from '@grammyjs/runner';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Bot, lazySession, MemorySessionStorage, type StorageAdapter, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { createAsker } from '../answering/ask.js';
import { extractiveComposer, type Composer } from '../answering/composer.js';
import { describeError } from '../errors.js';
import type { ForumIndex } from '../index/forum-index.js';
import type { BotContext } from './context.js';
import { adminFeature } from './features/admin.js';
import { replyText } from './features/answer.js';
import { commandsFeature, type SummaryHook } from './features/commands.js';
import { mediaFeature } from './features/media.js';
import { questionsFeature, type RateLimitSettings } from './features/questions.js';
import { summariesFeature } from './features/summaries.js';
import { uploadFeature } from './features/upload.js';
import { RebuildQueue, type ReindexOutcome } from './reindex.js';
import { extractiveSummarizer, type Summarizer } from '../summaries/digest.js';
import { summaryHook } from './digests/requests.js';
import type { SubscriptionStore } from '../summaries/subscriptions.js';
import { Inflight } from './inflight.js';
import { expectsReply, isDeliveryFailure, UndeliveredNotices } from './notices.js';
import { redactingLog, type Log } from './redact.js';
import { DEFAULT_RETRY, retryPolicy, type RetryPolicy } from './retry.js';
import { requestTimeouts } from './timeout.js';
import { initialSession, sessionKey, type HistorySettings, type SessionData } from './session.js';
import { TEXTS, replyLanguage } from './texts.js';

export interface BotDeps {
  token: string;
  /** A self-hosted Bot API server, or the test fake. */
  apiRoot?: string;
  /** Skips getMe (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** The current index; a function so a hot-reloaded index is picked up on the next question. */
  index: () => ForumIndex;
  /** How answers are written: extractive by default; the LLM composer plugs in here. */
  composer?: Composer;
  maxQuestionChars?: number;
  adminUserIds?: ReadonlySet<number>;
  /** /reindex and article uploads rebuild the index with this (reindexService); without it neither is offered. */
  reindex?: () => Promise<ReindexOutcome>;
  /** Where admins' uploaded articles are saved (SEEDS_DIR). */
  seedsDir?: string;
  /** /summary: the digests written by `summarizer` (extractive by default) unless replaced here. */
  summarize?: SummaryHook;
  /** How forum digests are written (/summary, the /subscribe welcome): extractive by default, the LLM one plugs in here. */
  summarizer?: Summarizer;
  /** /subscribe and /unsubscribe keep chats here; without a store those commands are not offered. */
  subscriptions?: SubscriptionStore;
  sessionStorage?: StorageAdapter<SessionData>;
  history?: HistorySettings;
  rateLimit?: RateLimitSettings;
  /** Outgoing throttling to Telegram's limits (default on). */
  throttle?: boolean;
  /** How calls to Telegram are retried (tests shorten the waits). */
  retry?: Partial<RetryPolicy>;
  /** No answer from Telegram within this long is a network error (getUpdates: its poll timeout plus a little). */
  requestTimeoutSeconds?: number;
  /** Users whose answer could not be delivered, told when delivery works again. */
  notices?: UndeliveredNotices;
  streamEditIntervalMs?: number;
  /** Shared with the runner so shutdown can wait for replies under way. */
  inflight?: Inflight;
  /** Aborts composers when shutdown stops waiting. */
  signal?: AbortSignal;
  log?: Log;
}

/** The grammY bot: plugins, then one composer per feature, and an error edge that never stops it. */
export function createBot(deps: BotDeps): Bot<BotContext> {
  const log = redactingLog(deps.token, deps.log ?? ((line) => process.stderr.write(`${line}\n`)));
  const bot = new Bot<BotContext>(deps.token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    client: { ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}) },
  });
  const notices = deps.notices ?? new UndeliveredNotices({ log });
  notices.attach(bot.api);
  // Installed first = innermost. The timeout bounds the request itself, not its wait in the
  // throttler; every retry queues through the throttler again; a call that works wakes the notices.
  bot.api.config.use(requestTimeouts({ requestSeconds: deps.requestTimeoutSeconds ?? 30 }));
  if (deps.throttle ?? true) bot.api.config.use(throttler());
  bot.api.config.use(retryPolicy({ ...DEFAULT_RETRY, ...deps.retry }));
  bot.api.config.use(notices.observe);

  const inflight = deps.inflight ?? new Inflight();
  const history = deps.history ?? { turns: 4, ttlMinutes: 30 };
  const maxQuestionChars = deps.maxQuestionChars ?? 500;
  const ask = createAsker({ index: deps.index, composer: deps.composer ?? extractiveComposer, maxQuestionChars });

  bot.use(inflight.middleware);
  // Chats are handled concurrently, each chat's own updates in order (history, streaming edits).
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));
  // Past this point an update has started; once shutdown closes the gate, queued ones stay unanswered (and unconfirmed).
  bot.use(inflight.gate);
  bot.use(
    lazySession({
      initial: initialSession,
      storage: deps.sessionStorage ?? new MemorySessionStorage<SessionData>(history.ttlMinutes * 60_000),
      getSessionKey: sessionKey,
    }),
  );
  const summarizer = deps.summarizer ?? extractiveSummarizer;
  bot.use(commandsFeature({ index: deps.index, summarize: deps.summarize ?? summaryHook(summarizer) }));
  if (deps.subscriptions) bot.use(summariesFeature({ store: deps.subscriptions, index: deps.index, summarizer, log }));
  const adminUserIds = deps.adminUserIds ?? new Set<number>();
  const rebuilds = deps.reindex ? new RebuildQueue(deps.reindex) : undefined;
  const track = <T>(work: Promise<T>) => inflight.track(work);
  bot.use(adminFeature({ adminUserIds, rebuilds, track, log }));
  const apiRoot = deps.apiRoot ?? 'https://api.telegram.org';
  const fileUrl = (filePath: string) => `${apiRoot}/file/bot${deps.token}/${filePath}`;
  bot.use(uploadFeature({ adminUserIds, seedsDir: deps.seedsDir, rebuilds, index: deps.index, fileUrl, track, log }));
  bot.use(
    questionsFeature({
      ask,
      history,
      maxQuestionChars,
      streamEditIntervalMs: deps.streamEditIntervalMs ?? 1500,
      log,
      signal: deps.signal,
      rateLimit: deps.rateLimit ?? { questions: 8, windowSeconds: 60 },
    }),
  );
  bot.use(mediaFeature());

  bot.catch(async ({ ctx, error }) => {
    log(`Update ${ctx.update.update_id} in chat ${ctx.chat?.id ?? '-'} failed: ${describeError(error)}`);
    // Cut short by shutdown: not answered, so the shutdown leaves it for the next start or says so.
    if (deps.signal?.aborted) return void inflight.leave(ctx.update.update_id);
    if (!expectsReply(ctx)) return;
    // Telegram could not take the answer: an apology now would fail the same way; the user is told once it can.
    if (isDeliveryFailure(error)) return void notices.add(ctx, error);
    await replyText(ctx, TEXTS[replyLanguage(ctx.msg?.text, ctx.from?.language_code)].apology).catch(() => undefined);
  });
  return bot;
}

/** Telegram's limits (30 messages/s overall, 20/min per group, ~1/s per chat); chat actions are not messages. */
function throttler(): Transformer {
  const throttled = apiThrottler();
  return (prev, method, payload, signal) => (method === 'sendChatAction' ? prev(method, payload, signal) : throttled(prev, method, payload, signal));
}
