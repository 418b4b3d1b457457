import { run } from '@grammyjs/runner';
import type { Bot, Transformer } from 'grammy';
import { describeError } from '../errors.js';
import type { BotContext } from './context.js';
import { commandMenu } from './features/commands.js';
import type { Inflight } from './inflight.js';
import type { Log } from './redact.js';

// channel_post: /subscribe and /summary in channels; my_chat_member: the bot removed from a subscribed chat;
// edited_message: an edited question is answered again.
export const ALLOWED_UPDATES = ['message', 'edited_message', 'channel_post', 'my_chat_member'] as const;

export interface RunningBot {
  mode: 'polling' | 'webhook';
  /** Stops taking updates; resolves once nothing new can arrive (in-flight replies continue). */
  stop(): Promise<void>;
  /** Rejects when polling fails for good (e.g. 401: the token was revoked). */
  failed: Promise<never>;
}

/** The command menu in English (default) and Chinese, plus /reindex in each admin's private chat. */
export async function registerCommands(bot: Bot<BotContext>, adminUserIds: Iterable<number>, log: Log): Promise<void> {
  const calls: [string, Promise<unknown>][] = [
    ['default', bot.api.setMyCommands(commandMenu('en'))],
    ['zh', bot.api.setMyCommands(commandMenu('zh'), { language_code: 'zh' })],
  ];
  for (const id of adminUserIds) {
    // Fails for admins who never opened a chat with the bot: harmless, /reindex still works.
    calls.push([`admin ${id}`, bot.api.setMyCommands(commandMenu('en', true), { scope: { type: 'chat', chat_id: id } })]);
  }
  for (const [name, call] of calls) {
    await call.catch((error: unknown) => log(`setMyCommands (${name}) failed: ${describeError(error)}`));
  }
}

/**
 * Long polling with @grammyjs/runner: updates of different chats run concurrently (the bot's
 * sequentialize keeps each chat in order). Fetch errors are logged through the redacting log
 * (the runner's own logging would print the request URL, token included).
 */
export async function startPolling(bot: Bot<BotContext>, options: { inflight: Inflight; log: Log }): Promise<RunningBot> {
  await bot.init();
  await bot.api.deleteWebhook();
  bot.api.config.use(logFetchErrors(options.log));
  const handle = run(bot, {
    runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true, retryInterval: 'exponential', maxRetryTime: 24 * 3600_000 },
  });
  const failed = new Promise<never>((_, reject) => {
    void handle.task()?.then(
      () => undefined,
      (error: unknown) => reject(error),
    );
  });
  failed.catch(() => undefined); // observed by the caller; never an unhandled rejection
  return {
    mode: 'polling',
    failed,
    async stop() {
      if (handle.isRunning()) await handle.stop();
      // Confirm the updates already taken, so a restart does not answer them twice.
      if (options.inflight.lastUpdateId > 0) {
        await bot.api.getUpdates({ offset: options.inflight.lastUpdateId + 1, limit: 1, timeout: 0 }).catch(() => undefined);
      }
    },
  };
}

function logFetchErrors(log: Log): Transformer {
  let lastLogged = 0;
  return async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (error) {
      if (method === 'getUpdates' && !signal?.aborted && Date.now() - lastLogged > 10_000) {
        lastLogged = Date.now();
        log(`Fetching updates failed (retrying): ${describeError(error)}`);
      }
      throw error;
    }
  };
}
