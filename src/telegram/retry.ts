import { HttpError, type Transformer } from 'grammy';

/**
 * How calls to Telegram are retried. getUpdates is left alone: the update feed (polling.ts)
 * retries it on its own short schedule, so an outage never grows into minutes of backoff.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  attempts: number;
  /** A 429 asking to wait longer than this is not waited out here (the caller decides). */
  maxRetryAfterSeconds: number;
  /** First pause after a 5xx or a network error, doubled per retry up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, maxRetryAfterSeconds: 60, backoffMs: 500, maxBackoffMs: 4000 };

/**
 * A call that creates a message was written to Telegram but no answer came back (the connection
 * broke, or the response timed out): Telegram may have the message or not. It is not sent again —
 * a blind retry is how a user gets the same answer twice — and callers treat it as maybe delivered.
 */
export class UncertainDeliveryError extends HttpError {
  constructor(method: string, cause: unknown) {
    super(`Telegram did not confirm ${method} (${causeText(cause)}); it may or may not have arrived, so it is not sent again`, cause);
  }
}

export const isUncertainDelivery = (error: unknown): error is UncertainDeliveryError => error instanceof UncertainDeliveryError;

/** Methods that post something new: retrying one whose request may have arrived can post it twice. */
export const createsMessage = (method: string): boolean =>
  (method.startsWith('send') && method !== 'sendChatAction' && method !== 'sendMessageDraft') || /^(copy|forward)Messages?$/.test(method);

// The connection was never made: the request cannot have reached Telegram, so any call may be retried.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);

export function neverReachedTelegram(error: HttpError): boolean {
  const cause = error.error as { code?: unknown; errno?: unknown } | undefined;
  return typeof cause?.code === 'string' && NOT_CONNECTED.has(cause.code);
}

/** The underlying reason of a network error, in a few words (grammY's own message says only "failed!"). */
export function causeText(error: unknown): string {
  // Our own network errors (a timeout) say it in their message; grammY's only say "Network request … failed!".
  if (error instanceof HttpError && !error.message.startsWith('Network request')) return error.message;
  const cause = error instanceof HttpError ? error.error : error;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    // node-fetch's message carries the request URL, token included: the code or the reason after it suffices.
    const reason = /reason: (.*)$/.exec(cause.message)?.[1] ?? cause.message;
    return typeof code === 'string' && !reason.includes(code) ? `${code}: ${reason}` : reason;
  }
  return String(cause);
}

/**
 * Retries a 429 after its retry_after (up to the cap), a 5xx and a network error after a short
 * doubling pause, each at most `attempts` times. A network error after a message-creating request
 * was written becomes an UncertainDeliveryError at once, never a second copy of the message.
 * getUpdates and getMe are not retried here: each has its own loop (polling, connect.ts) that
 * logs every failure and waits longer each time; retried here too, the first "not reachable"
 * line came 3.5 s after start, after four silent attempts.
 */
export function retryPolicy(policy: RetryPolicy = DEFAULT_RETRY): Transformer {
  return async (prev, method, payload, signal) => {
    if (method === 'getUpdates' || method === 'getMe') return prev(method, payload, signal);
    let pauseMs = policy.backoffMs;
    const backoff = async () => {
      await pause(pauseMs, signal);
      pauseMs = Math.min(pauseMs * 2, policy.maxBackoffMs);
    };
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= policy.attempts;
      let result: Awaited<ReturnType<typeof prev>>;
      try {
        result = await prev(method, payload, signal);
      } catch (error) {
        if (signal?.aborted || !(error instanceof HttpError) || error instanceof UncertainDeliveryError) throw error;
        if (createsMessage(method) && !neverReachedTelegram(error)) throw new UncertainDeliveryError(method, error);
        if (last) throw error;
        await backoff();
        continue;
      }
      if (result.ok || last) return result;
      const retryAfter = result.parameters?.retry_after;
      if (typeof retryAfter === 'number') {
        if (retryAfter > policy.maxRetryAfterSeconds) return result;
        await pause(retryAfter * 1000, signal);
      } else if (result.error_code >= 500) {
        await backoff();
      } else {
        return result;
      }
    }
  };
}

/** An abort signal, native or the polyfill grammY and its runner use in Node (which has no `reason`). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export function pause(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    const stopped = () => (signal as { reason?: unknown } | undefined)?.reason ?? new Error('aborted');
    if (signal?.aborted) return reject(stopped());
    const onAbort = () => {
      clearTimeout(timer);
      reject(stopped());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
