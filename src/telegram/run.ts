import { createConcurrentSink, createRunner, createSource } from '@grammyjs/runner';
import type { Bot, BotError } from 'grammy';
import type { Update } from 'grammy/types';
import { describeError } from '../errors.js';
import type { BotContext } from './context.js';
import { commandMenu } from './features/commands.js';
import type { Inflight } from './inflight.js';
import { tellRestarting } from './notices.js';
import { UpdateFeed, type FinishReport } from './polling.js';
import type { Log } from './redact.js';
import { TEXTS } from './texts.js';

// channel_post: /subscribe and /summary in channels; my_chat_member: the bot removed from a subscribed chat;
// edited_message: an edited question is answered again.
export const ALLOWED_UPDATES = ['message', 'edited_message', 'channel_post', 'my_chat_member'] as const;

export interface RunningBot {
  mode: 'polling' | 'webhook';
  /** Stops taking updates; resolves once nothing new can arrive (in-flight replies continue). */
  stop(): Promise<void>;
  /**
   * Once replies finished or shutdown stopped waiting: confirms what was handled, and says what
   * became of the rest (left for the next start, or told to ask again).
   */
  finish(): Promise<FinishReport>;
  /** Rejects when polling fails for good (e.g. 401: the token was revoked). */
  failed: Promise<never>;
}

/**
 * The bot's profile, set on every start (failures are logged, never fatal): the command menu in
 * English (default) and Chinese, /reindex in each admin's private chat, and the description
 * (shown before a user's first message) and short description (profile, shares) in Chinese by
 * default and English for English-language clients.
 */
export async function registerCommands(bot: Bot<BotContext>, adminUserIds: Iterable<number>, log: Log): Promise<void> {
  const calls: [string, Promise<unknown>][] = [
    ['command menu (default)', bot.api.setMyCommands(commandMenu('en'))],
    ['command menu (zh)', bot.api.setMyCommands(commandMenu('zh'), { language_code: 'zh' })],
    ['description (default)', bot.api.setMyDescription(TEXTS.zh.botDescription)],
    ['description (en)', bot.api.setMyDescription(TEXTS.en.botDescription, { language_code: 'en' })],
    ['short description (default)', bot.api.setMyShortDescription(TEXTS.zh.botShortDescription)],
    ['short description (en)', bot.api.setMyShortDescription(TEXTS.en.botShortDescription, { language_code: 'en' })],
  ];
  for (const id of adminUserIds) {
    // Fails for admins who never opened a chat with the bot: harmless, /reindex still works.
    calls.push([`command menu (admin ${id})`, bot.api.setMyCommands(commandMenu('en', true), { scope: { type: 'chat', chat_id: id } })]);
  }
  for (const [name, call] of calls) {
    await call.catch((error: unknown) => log(`Could not set the bot's ${name}: ${describeError(error)}`));
  }
}

export interface PollingOptions {
  inflight: Inflight;
  log: Log;
  /** getUpdates' long-poll timeout (its HTTP request is given a few seconds more). */
  pollTimeoutSeconds?: number;
  /** While updates are unfinished, how often to look for new ones. */
  holdPollMs?: number;
}

/**
 * Long polling with @grammyjs/runner's source and concurrent sink (chats concurrently, the bot's
 * sequentialize keeps each chat in order), fed by UpdateFeed, which confirms an update to
 * Telegram only once it is handled. Fetch errors are logged by the feed through the redacting log.
 */
export async function startPolling(bot: Bot<BotContext>, options: PollingOptions): Promise<RunningBot> {
  const { inflight, log } = options;
  await bot.init();
  await bot.api.deleteWebhook();
  const feed = new UpdateFeed(bot.api, {
    pollTimeoutSeconds: options.pollTimeoutSeconds ?? 30,
    allowedUpdates: ALLOWED_UPDATES,
    log,
    ...(options.holdPollMs !== undefined ? { holdPollMs: options.holdPollMs } : {}),
  });
  const sink = createConcurrentSink<Update>(
    {
      // Tracked as a whole, so shutdown's wait covers the error handler and the settling too.
      consume: (update) =>
        inflight.track(
          (async () => {
            try {
              await bot.handleUpdate(update);
            } catch (error) {
              // bot.catch (apology, notice, or left for shutdown) runs before the update counts as handled.
              await bot.errorHandler(error as BotError<BotContext>);
            } finally {
              if (!inflight.isLeft(update.update_id)) feed.settle(update.update_id);
              inflight.finished(update.update_id);
            }
          })(),
        ),
    },
    async (error) => log(`Update handling failed, and so did its error handler: ${describeError(error)}`),
  );
  const runner = createRunner(createSource(feed), sink);
  runner.start();
  const failed = new Promise<never>((_, reject) => {
    void runner.task()?.then(
      () => undefined,
      (error: unknown) => reject(error),
    );
  });
  failed.catch(() => undefined); // observed by the caller; never an unhandled rejection
  return {
    mode: 'polling',
    failed,
    async stop() {
      await runner.stop();
    },
    finish: () =>
      feed.finish(async (updateId) => {
        const ctx = inflight.contextOf(updateId);
        if (ctx) await tellRestarting(ctx).catch((error: unknown) => log(`Could not tell chat ${ctx.chat?.id} to ask again: ${describeError(error)}`));
      }, (updateId) => inflight.hasStarted(updateId)),
  };
}
