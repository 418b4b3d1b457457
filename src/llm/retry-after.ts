/**
 * The openai client waits as long as a Retry-After header says, uncapped and deaf to abort
 * signals: one "Retry-After: 3600" would stall an answer for an hour. This fetch lets waits up to
 * `capMs` through and turns a longer one into "do not retry" (x-should-retry: false), so the call
 * fails at once and the caller answers without the LLM.
 */
type Fetch = typeof fetch;

/** Milliseconds a response asks the client to wait, from retry-after-ms or Retry-After (seconds or a date). */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return Math.max(0, ms);
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

export function cappedRetryAfterFetch(capMs: number, inner: Fetch = fetch): Fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok) return response;
    const wait = retryAfterMs(response.headers);
    if (wait === undefined || wait <= capMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
