import { GrammyError, type Bot } from 'grammy';
import { ConfigError } from '../errors.js';
import type { BotContext } from './context.js';
import { TOKEN_REJECTED } from './polling.js';
import type { Log } from './redact.js';
import { causeText, pause } from './retry.js';

export interface ConnectOptions {
  log: Log;
  /** Stops the attempts (SIGINT/SIGTERM): connect then rejects. */
  signal: AbortSignal;
  /** First wait between attempts, doubled up to maxDelayMs. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * getMe until Telegram answers, one log line per failed attempt with the wait before the next
 * (growing, capped), so a bot started while the Bot API is unreachable says so instead of
 * waiting silently. A 401 ends it at once with a sentence about TELEGRAM_BOT_TOKEN.
 */
export async function connect(bot: Bot<BotContext>, options: ConnectOptions): Promise<void> {
  let delayMs = options.firstDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      // Not bot.init(): it retries getMe by itself, forever and silently.
      bot.botInfo = await bot.api.getMe(options.signal as unknown as Parameters<Bot['api']['getMe']>[0]);
      if (attempt > 1) options.log(`Connected to Telegram after ${attempt} attempts.`);
      return;
    } catch (error) {
      if (options.signal.aborted) throw error;
      if (error instanceof GrammyError && error.error_code === 401) throw new ConfigError(TOKEN_REJECTED, { cause: error });
      if (error instanceof GrammyError && error.error_code === 404) {
        throw new ConfigError('Telegram answered 404 Not Found to getMe: TELEGRAM_BOT_TOKEN is malformed, or TELEGRAM_API_ROOT is not a Bot API server.', { cause: error });
      }
      const reason = error instanceof GrammyError ? `${error.error_code}: ${error.description}` : causeText(error);
      // A 429 says how long to wait: no sooner than that.
      const retryAfterMs = error instanceof GrammyError ? (error.parameters.retry_after ?? 0) * 1000 : 0;
      const waitMs = Math.max(delayMs, retryAfterMs);
      options.log(`Telegram is not reachable (attempt ${attempt}: ${reason}); trying again in ${Math.round(waitMs / 100) / 10} s. Ctrl+C to stop.`);
      await pause(waitMs, options.signal);
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 30_000);
    }
  }
}
