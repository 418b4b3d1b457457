import type { Context, MiddlewareFn } from 'grammy';

/**
 * Counts the updates being handled (and background jobs such as /reindex) so shutdown can
 * stop taking new updates and still finish the replies already under way.
 */
export class Inflight {
  private readonly running = new Set<Promise<unknown>>();
  /** The highest update id seen: polling confirms it on shutdown so nothing is handled twice. */
  lastUpdateId = 0;

  get size(): number {
    return this.running.size;
  }

  readonly middleware: MiddlewareFn<Context> = async (ctx, next) => {
    this.lastUpdateId = Math.max(this.lastUpdateId, ctx.update.update_id);
    await this.track(next());
  };

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
