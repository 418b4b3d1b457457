/**
 * Where long polling gets its updates, and when it confirms them to Telegram.
 *
 * Telegram forgets an update once getUpdates is called with a higher offset. grammY's runner
 * moves the offset on with every call, so an update taken but not yet answered is gone if the
 * process stops (2 of 3 questions queued in one chat were never answered after a restart). This
 * feed confirms an update only once it has been handled: while any update is unfinished, it asks
 * with the oldest unfinished one as offset (a short poll every holdPollMs, or as soon as one
 * finishes) and keeps only the new ones; with nothing unfinished it long-polls as usual.
 *
 * Fetch failures are retried at once and then every few seconds at most (never minutes of
 * backoff), with one log line when fetching starts failing and one when it works again.
 */
import type { UpdateSupplier } from '@grammyjs/runner';
import { GrammyError, type Api } from 'grammy';
import type { Update } from 'grammy/types';
import { ConfigError, ForumBotError } from '../errors.js';
import type { Log } from './redact.js';
import { causeText, pause } from './retry.js';

export interface FeedOptions {
  /** getUpdates' long-poll timeout. */
  pollTimeoutSeconds: number;
  allowedUpdates: readonly string[];
  log: Log;
  /** The longest pause between two failed fetches. */
  maxRetryMs?: number;
  /** While updates are unfinished, how often to look for new ones. */
  holdPollMs?: number;
  /** An update still unfinished after this long is confirmed anyway: one stuck handler must not stall the feed. */
  maxHoldMs?: number;
  /** At most this many unfinished updates are held back (getUpdates hands out 100 at most); beyond, the oldest are confirmed. */
  maxHeld?: number;
}

/** What shutdown did with the updates not answered. */
export interface FinishReport {
  /** Left unconfirmed: the next start gets them from Telegram again and answers them. */
  kept: number;
  /** Told to ask again: confirming a later, answered update confirms these too. */
  told: number;
}

export const TOKEN_REJECTED =
  'Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): the token is wrong or was revoked. Copy the current token from @BotFather (/mybots → API Token) into .env.';

/** The runner's abort signal (a polyfill in Node builds of the runner: no `reason`). */
type RunnerSignal = Parameters<UpdateSupplier<Update>['supply']>[1];

export class UpdateFeed implements UpdateSupplier<Update> {
  private readonly open = new Map<number, number>(); // update_id → when it was taken
  private highest = -1;
  private highestSettled = -1;
  private wake: (() => void) | undefined;
  private failingSince: number | undefined;
  private failures = 0;
  private lastOverflowLog = 0;
  private readonly maxRetryMs: number;
  private readonly holdPollMs: number;
  private readonly maxHoldMs: number;
  private readonly maxHeld: number;

  constructor(
    private readonly api: Api,
    private readonly options: FeedOptions,
  ) {
    this.maxRetryMs = options.maxRetryMs ?? 3000;
    this.holdPollMs = options.holdPollMs ?? 500;
    this.maxHoldMs = options.maxHoldMs ?? 120_000;
    this.maxHeld = options.maxHeld ?? 50;
  }

  /** Updates not confirmed to Telegram yet (taken, not handled). */
  get unfinished(): number {
    return this.open.size;
  }

  async supply(batchSize: number, signal: RunnerSignal): Promise<Update[]> {
    for (;;) {
      this.releaseStuck();
      const holding = this.open.size > 0;
      const offset = holding ? Math.min(...this.open.keys()) : this.highest + 1;
      const limit = Math.max(1, Math.min(100, this.open.size + batchSize));
      const updates = await this.fetch(
        { offset, limit, timeout: holding ? 0 : this.options.pollTimeoutSeconds, allowed_updates: [...this.options.allowedUpdates] as never },
        signal,
      );
      const fresh = updates.filter((update) => update.update_id > this.highest);
      if (fresh.length) {
        for (const update of fresh) this.open.set(update.update_id, Date.now());
        this.highest = fresh[fresh.length - 1]!.update_id;
        return fresh;
      }
      if (!holding) return [];
      await this.nextSettleOr(this.holdPollMs, signal);
    }
  }

  /** The update was handled (answered, or told it could not be): it may be confirmed. */
  settle(updateId: number): void {
    if (!this.open.delete(updateId)) return;
    this.highestSettled = Math.max(this.highestSettled, updateId);
    this.wake?.();
  }

  /**
   * At shutdown, once replies finished or were cut short. An unfinished update that never started
   * (queued behind its chat's earlier message) and comes after every handled or started one stays
   * unconfirmed: the next start answers it, in order. The others are told to ask again: one that
   * started may have sent part of its answer (handling it again could repeat it), and one before
   * a handled update is confirmed with it (the offset confirms everything below it).
   */
  async finish(tell: (updateId: number) => Promise<void>, hasStarted: (updateId: number) => boolean): Promise<FinishReport> {
    const unfinished = [...this.open.keys()].sort((a, b) => a - b);
    const barrier = Math.max(this.highestSettled, ...unfinished.filter(hasStarted));
    const told = unfinished.filter((id) => id <= barrier);
    const kept = unfinished.filter((id) => id > barrier);
    for (const id of told) await tell(id);
    if (this.highest >= 0) {
      const offset = kept[0] ?? this.highest + 1;
      await this.api.getUpdates({ offset, limit: 1, timeout: 0 }).catch((error: unknown) =>
        this.options.log(`Could not confirm the handled updates to Telegram (${causeText(error)}); the next start may answer the last ones again.`),
      );
    }
    return { kept: kept.length, told: told.length };
  }

  private async fetch(args: Parameters<Api['getUpdates']>[0], signal: RunnerSignal): Promise<Update[]> {
    let retryMs = 250;
    for (;;) {
      try {
        const updates = await this.api.getUpdates(args, signal);
        this.recovered();
        return updates;
      } catch (error) {
        if (signal.aborted) throw error;
        if (error instanceof GrammyError && error.error_code === 401) throw new ConfigError(TOKEN_REJECTED, { cause: error });
        if (error instanceof GrammyError && error.error_code === 409) {
          throw new ForumBotError(
            'Telegram hands the updates to someone else (409 Conflict): another process is polling with this bot token, or a webhook was set meanwhile. Stop the other instance and start this one again.',
            { cause: error },
          );
        }
        this.failed(error);
        const retryAfter = error instanceof GrammyError ? error.parameters.retry_after : undefined;
        await pause(retryAfter !== undefined ? retryAfter * 1000 : retryMs, signal);
        retryMs = Math.min(retryMs * 2, this.maxRetryMs);
      }
    }
  }

  private failed(error: unknown): void {
    this.failures++;
    if (this.failingSince !== undefined) return;
    this.failingSince = Date.now();
    const reason = error instanceof GrammyError ? `${error.error_code}: ${error.description}` : causeText(error);
    this.options.log(`Fetching updates from Telegram failed (${reason}); trying again every ${this.maxRetryMs / 1000} s at most until it works.`);
  }

  private recovered(): void {
    if (this.failingSince === undefined) return;
    const seconds = ((Date.now() - this.failingSince) / 1000).toFixed(1);
    this.options.log(`Fetching updates works again, after ${seconds} s and ${this.failures} failed attempt(s).`);
    this.failingSince = undefined;
    this.failures = 0;
  }

  /** Confirms, unanswered, what has been held too long or what does not fit the window. */
  private releaseStuck(): void {
    const now = Date.now();
    const release = (id: number) => {
      this.open.delete(id);
      this.highestSettled = Math.max(this.highestSettled, id);
    };
    for (const [id, takenAt] of this.open) {
      if (now - takenAt <= this.maxHoldMs) continue;
      release(id);
      this.options.log(`Update ${id} is still being handled after ${Math.round(this.maxHoldMs / 1000)} s; confirmed to Telegram so new messages keep coming (a restart would not answer it).`);
    }
    if (this.open.size <= this.maxHeld) return;
    const oldest = [...this.open.keys()].sort((a, b) => a - b).slice(0, this.open.size - this.maxHeld);
    oldest.forEach(release);
    if (now - this.lastOverflowLog > 60_000) {
      this.lastOverflowLog = now;
      this.options.log(`More than ${this.maxHeld} updates in progress at once: the oldest are confirmed to Telegram before they are answered (a crash now would not answer them again).`);
    }
  }

  private nextSettleOr(ms: number, signal: RunnerSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        resolve();
      };
      const onAbort = () => {
        clearTimeout(timer);
        this.wake = undefined;
        reject(new Error('stopped'));
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
