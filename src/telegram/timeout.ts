import { HttpError, type Transformer } from 'grammy';

export interface TimeoutSettings {
  /** Any call but getUpdates: no answer within this long is a network error (grammY's own default is 500 s). */
  requestSeconds: number;
}

/** How long past getUpdates' own long-poll timeout its HTTP request may take: a little, scaled to the poll (1–5 s). */
export const pollGraceSeconds = (pollSeconds: number): number => Math.min(5, Math.max(1, Math.ceil(pollSeconds / 5)));

class NoAnswer extends Error {
  readonly code = 'ETIMEDOUT_RESPONSE';
}

/**
 * Bounds every request: getUpdates by its long-poll timeout plus a little (a stalled poll is
 * abandoned within seconds, not after 500 s), everything else by requestSeconds. Installed
 * innermost, so time queued in the throttler does not count.
 */
export function requestTimeouts(settings: TimeoutSettings): Transformer {
  return async (prev, method, payload, signal) => {
    const poll = method === 'getUpdates' ? Number((payload as { timeout?: number } | undefined)?.timeout ?? 0) : undefined;
    const seconds = poll === undefined ? settings.requestSeconds : poll + pollGraceSeconds(poll);
    const controller = new AbortController();
    const fromCaller = () => controller.abort();
    if (signal?.aborted) fromCaller();
    signal?.addEventListener('abort', fromCaller, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, seconds * 1000);
    try {
      // grammY types its signal as the abort-controller polyfill; a native one works the same (it checks addEventListener).
      return await prev(method, payload, controller.signal as unknown as typeof signal);
    } catch (error) {
      if (timedOut && !signal?.aborted) throw new HttpError(`Telegram did not answer ${method} within ${seconds} s`, new NoAnswer(`no answer within ${seconds} s`));
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', fromCaller);
    }
  };
}
