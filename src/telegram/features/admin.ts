import { Composer } from 'grammy';
import { describeError } from '../../errors.js';
import type { BotContext } from '../context.js';
import { awaitDigests, failureReport, reindexReport } from '../maintenance-report.js';
import type { Log } from '../redact.js';
import type { RebuildQueue } from '../reindex.js';
import { MAINTENANCE_TEXTS, TEXTS, replyLanguage } from '../texts.js';
import { replyText } from './answer.js';

export interface AdminSettings {
  adminUserIds: ReadonlySet<number>;
  /** Rebuilds the index and swaps it in, one at a time; answers keep using the old one until then. */
  rebuilds?: RebuildQueue;
  /** Keeps the rebuild counted as in-flight work, so shutdown waits for it. */
  track: <T>(work: Promise<T>) => Promise<T>;
  log: Log;
}

/** /reindex, for ADMIN_USER_IDS only: the result names the articles that arrived, changed or left, and where their digests went. */
export function adminFeature(settings: AdminSettings): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('reindex', async (ctx) => {
    const language = replyLanguage(undefined, ctx.from?.language_code);
    const texts = TEXTS[language];
    if (!ctx.from || !settings.adminUserIds.has(ctx.from.id)) return void (await replyText(ctx, texts.notAdmin));
    const { rebuilds } = settings;
    if (!rebuilds) return void (await replyText(ctx, MAINTENANCE_TEXTS[language].reindexUnavailable));
    if (rebuilds.busy) return void (await replyText(ctx, texts.reindexBusy));
    settings.log(`Reindex requested by admin ${ctx.from.id}.`);
    const finished = rebuilds.exclusive((rebuild) => rebuild());
    finished.catch(() => undefined); // handled below, after the first reply
    await replyText(ctx, texts.reindexStarted);
    // In the background: this chat's later messages are not held up behind a long rebuild.
    void settings.track(
      (async () => {
        let report: string;
        try {
          const outcome = await finished;
          report = reindexReport(outcome, await awaitDigests(outcome.digests), language);
        } catch (error) {
          settings.log(`Reindex failed; still serving the previous index: ${describeError(error)}`);
          report = failureReport(error, language);
        }
        await replyText(ctx, report).catch((error: unknown) => settings.log(`Could not report the reindex to admin: ${describeError(error)}`));
      })(),
    );
  });
  return composer;
}
