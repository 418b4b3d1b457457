import type { Context, MiddlewareFn } from 'grammy';

/**
 * The updates being handled (and background jobs such as /reindex), so shutdown can stop taking
 * new updates, finish the replies already under way, and know which updates were left unanswered:
 * those that never started (still queued behind their chat's earlier message when shutdown closed
 * the gate) and those shutdown cut short.
 */
export class Inflight {
  private readonly running = new Set<Promise<unknown>>();
  private readonly contexts = new Map<number, Context>();
  private readonly left = new Set<number>();
  private readonly started = new Set<number>();
  private closed = false;
  /** The highest update id that has arrived (tests wait on it). */
  lastUpdateId = 0;

  get size(): number {
    return this.running.size;
  }

  /**
   * First in the chain: every update is listed from the moment it arrives until finished(). What
   * feeds the updates (polling, webhook) tracks their handling, error handler included.
   */
  readonly middleware: MiddlewareFn<Context> = async (ctx, next) => {
    this.contexts.set(ctx.update.update_id, ctx);
    this.lastUpdateId = Math.max(this.lastUpdateId, ctx.update.update_id);
    await next();
  };

  /**
   * Called by what feeds the updates (polling, webhook) once an update and its error handler
   * are done. A left update stays listed: shutdown tells its user, or leaves it for the next start.
   */
  finished(updateId: number): void {
    if (this.left.has(updateId)) return;
    this.contexts.delete(updateId);
    this.started.delete(updateId);
  }

  /**
   * After the chat's queue (sequentialize): once shutdown closed it, an update that has not
   * started does not start; it is left for the next start (polling) or told to ask again.
   */
  readonly gate: MiddlewareFn<Context> = async (ctx, next) => {
    if (this.closed) return void this.left.add(ctx.update.update_id);
    this.started.add(ctx.update.update_id);
    await next();
  };

  /** No update starts from now on. */
  close(): void {
    this.closed = true;
  }

  /** Marks an update as not answered: shutdown cut it short. */
  leave(updateId: number): void {
    this.left.add(updateId);
  }

  isLeft(updateId: number): boolean {
    return this.left.has(updateId);
  }

  /** Whether handling began (it may have sent something): such an update cannot simply be handled again. */
  hasStarted(updateId: number): boolean {
    return this.started.has(updateId);
  }

  /** The update's context while it is being handled (or waiting for its chat's turn). */
  contextOf(updateId: number): Context | undefined {
    return this.contexts.get(updateId);
  }

  /** Updates that arrived and were not answered (still running, or left), oldest first. */
  unfinished(): Context[] {
    return [...this.contexts.values()].sort((a, b) => a.update.update_id - b.update.update_id);
  }

  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.finally(() => this.running.delete(settled));
    return work;
  }

  /** Resolves true when everything finished, false when timeoutMs passed first. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([...this.running]), new Promise((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
    return true;
  }
}
