import { Composer } from 'grammy';
import { describeError } from '../../errors.js';
import type { BotContext } from '../context.js';
import type { Log } from '../redact.js';
import { TEXTS, replyLanguage } from '../texts.js';
import { replyText } from './answer.js';

/** What a rebuild did, in one line for the admin. */
export interface ReindexOutcome {
  changed: boolean;
  summary: string;
}

export interface AdminSettings {
  adminUserIds: ReadonlySet<number>;
  /** Rebuilds the index and swaps it in; answers keep using the old one until then. */
  reindex?: () => Promise<ReindexOutcome>;
  /** Keeps the rebuild counted as in-flight work, so shutdown waits for it. */
  track: <T>(work: Promise<T>) => Promise<T>;
  log: Log;
}

/** /reindex, for ADMIN_USER_IDS only. */
export function adminFeature(settings: AdminSettings): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  let running = false;

  composer.command('reindex', async (ctx) => {
    const texts = TEXTS[replyLanguage(undefined, ctx.from?.language_code)];
    if (!ctx.from || !settings.adminUserIds.has(ctx.from.id)) return void (await replyText(ctx, texts.notAdmin));
    if (!settings.reindex) return void (await replyText(ctx, texts.reindexFailed('no rebuild is configured for this bot')));
    if (running) return void (await replyText(ctx, texts.reindexBusy));
    running = true;
    settings.log(`Reindex requested by admin ${ctx.from.id}.`);
    await replyText(ctx, texts.reindexStarted);
    // In the background: this chat's later messages are not held up behind a long rebuild.
    void settings.track(
      (async () => {
        let report: string;
        try {
          const outcome = await settings.reindex!();
          settings.log(`Reindex finished: ${outcome.summary}`);
          report = outcome.changed ? texts.reindexDone(outcome.summary) : texts.reindexUnchanged(outcome.summary);
        } catch (error) {
          settings.log(`Reindex failed; still serving the previous index: ${describeError(error)}`);
          report = texts.reindexFailed(describeError(error));
        } finally {
          running = false;
        }
        await replyText(ctx, report).catch((error: unknown) => settings.log(`Could not report the reindex to admin: ${describeError(error)}`));
      })(),
    );
  });
  return composer;
}
