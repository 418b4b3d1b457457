/**
 * One bounded chat call to any OpenAI-compatible server. Whatever happens, it settles within the
 * deadline with the text or an LlmError saying what went wrong in one line: per-attempt timeout
 * and retries by the openai client, Retry-After capped (retry-after.ts), a stream that goes quiet
 * ended, and after a failure a cooldown in which calls fail at once instead of waiting again.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ForumBotError } from '../errors.js';
import type { ChatMessage } from './chat-message.js';
import { cappedRetryAfterFetch, retryAfterMs } from './retry-after.js';

export interface LlmSettings {
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** Per HTTP attempt (until the reply starts), and the longest silence inside a stream. */
  timeoutMs: number;
  maxRetries: number;
  maxRetryAfterMs: number;
  /** The whole call, retries and streaming included. */
  deadlineMs: number;
  cooldownMs: number;
}

export type LlmFailureKind = 'unreachable' | 'timeout' | 'rate-limited' | 'server-error' | 'rejected' | 'malformed' | 'cooling-down';

export class LlmError extends ForumBotError {
  constructor(
    readonly kind: LlmFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ChatRequest {
  messages: ChatMessage[];
  maxTokens: number;
  temperature: number;
  signal?: AbortSignal;
  /** When given, the reply is streamed and this is called with the text so far. */
  onText?: (textSoFar: string) => void;
}

export interface ChatReply {
  text: string;
  /** "stop", or "length" when the reply was cut at the output token limit. */
  finishReason: string;
}

export interface LlmClient {
  readonly model: string;
  /** The server, for messages: host and path, never credentials. */
  readonly where: string;
  chat(request: ChatRequest): Promise<ChatReply>;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Local servers (Ollama, llama.cpp) need no key, but the client insists on one. */
const PLACEHOLDER_KEY = 'not-needed';
/** A rate limit asking for more than this is not waited out even by the cooldown. */
const MAX_COOLDOWN_MS = 10 * 60_000;

export function createLlmClient(settings: LlmSettings, clock: () => number = Date.now): LlmClient {
  const baseURL = settings.baseURL?.trim() || DEFAULT_BASE_URL;
  const where = displayUrl(baseURL);
  const apiKey = settings.apiKey?.trim() || PLACEHOLDER_KEY;
  const client = new OpenAI({
    apiKey,
    baseURL,
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    fetch: cappedRetryAfterFetch(settings.maxRetryAfterMs),
    logLevel: 'off',
  });
  const scrub = (text: string) => (apiKey === PLACEHOLDER_KEY ? text : text.split(apiKey).join('[redacted]'));
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  let coolUntil = 0;

  function classify(error: unknown): LlmError {
    if (error instanceof LlmError) return error;
    if (error instanceof APIConnectionTimeoutError) return new LlmError('timeout', `${where} did not answer within ${seconds(settings.timeoutMs)}`);
    if (error instanceof APIUserAbortError) return new LlmError('timeout', `the call to ${where} was stopped`);
    if (error instanceof APIConnectionError) return new LlmError('unreachable', `cannot reach ${where} (${scrub(error.message)})`);
    if (error instanceof APIError && typeof error.status === 'number') {
      const message = scrub(error.message);
      if (error.status === 429) return new LlmError('rate-limited', `${where} is rate limiting (${message})`);
      if (error.status >= 500) return new LlmError('server-error', `${where} failed (${message})`);
      return new LlmError('rejected', `${where} refused the request (${message}); check OPENAI_MODEL, OPENAI_API_KEY and OPENAI_BASE_URL`);
    }
    const message = error instanceof Error ? error.message : String(error);
    return new LlmError('malformed', `${where} sent an unusable reply (${scrub(message)})`, { cause: error });
  }

  function coolDown(failure: LlmError, cause: unknown): void {
    if (!['unreachable', 'timeout', 'rate-limited', 'server-error'].includes(failure.kind)) return;
    const asked = cause instanceof APIError && cause.headers ? retryAfterMs(cause.headers) : undefined;
    coolUntil = clock() + Math.max(settings.cooldownMs, Math.min(asked ?? 0, MAX_COOLDOWN_MS));
  }

  // OpenAI's reasoning models reject max_tokens and any temperature but the default; learnt from
  // their 400 reply once, then remembered for this client.
  const compat = { maxCompletionTokens: false, defaultTemperature: false };

  function adapt(error: unknown): boolean {
    if (!(error instanceof APIError) || error.status !== 400) return false;
    const message = error.message;
    if (!compat.maxCompletionTokens && /max_tokens/.test(message) && /max_completion_tokens/.test(message)) return (compat.maxCompletionTokens = true);
    if (!compat.defaultTemperature && /temperature/i.test(message) && /(unsupported|not support|only the default|does not support)/i.test(message)) {
      return (compat.defaultTemperature = true);
    }
    return false;
  }

  async function run(request: ChatRequest, controller: AbortController): Promise<ChatReply> {
    for (;;) {
      try {
        return await attempt(request, controller);
      } catch (error) {
        if (!adapt(error)) throw error;
      }
    }
  }

  async function attempt(request: ChatRequest, controller: AbortController): Promise<ChatReply> {
    const body = {
      model: settings.model,
      messages: request.messages,
      ...(compat.maxCompletionTokens ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
      ...(compat.defaultTemperature ? {} : { temperature: request.temperature }),
    };
    const options = { signal: controller.signal };
    if (!request.onText) {
      const completion = await client.chat.completions.create(body, options);
      const choice = completion?.choices?.[0];
      const text = choice?.message?.content;
      if (typeof text !== 'string' || !text.trim()) throw new LlmError('malformed', `${where} sent no answer text`);
      return { text, finishReason: choice?.finish_reason ?? 'stop' };
    }
    const stream = await client.chat.completions.create({ ...body, stream: true }, options);
    let text = '';
    let finishReason: string | undefined;
    let idle: NodeJS.Timeout | undefined;
    const quiet = () => controller.abort(new LlmError('timeout', `${where} stopped sending for ${seconds(settings.timeoutMs)}`));
    try {
      idle = setTimeout(quiet, settings.timeoutMs);
      for await (const chunk of stream) {
        idle.refresh();
        const choice = chunk?.choices?.[0];
        const delta = choice?.delta?.content;
        if (typeof delta === 'string' && delta) {
          text += delta;
          request.onText(text);
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
      }
    } finally {
      clearTimeout(idle);
    }
    if (controller.signal.aborted) throw controller.signal.reason;
    if (!finishReason) throw new LlmError('malformed', `the answer stream from ${where} ended early`);
    if (!text.trim()) throw new LlmError('malformed', `${where} sent no answer text`);
    return { text, finishReason };
  }

  return {
    model: settings.model,
    where,
    async chat(request) {
      request.signal?.throwIfAborted();
      const now = clock();
      if (now < coolUntil) throw new LlmError('cooling-down', `${where} failed recently; trying it again in ${seconds(coolUntil - now)}`);
      const controller = new AbortController();
      const fromCaller = () => controller.abort(request.signal!.reason);
      request.signal?.addEventListener('abort', fromCaller, { once: true });
      const deadline = setTimeout(
        () => controller.abort(new LlmError('timeout', `no complete answer from ${where} within ${seconds(settings.deadlineMs)}`)),
        settings.deadlineMs,
      );
      // The client's retry sleeps ignore abort signals: racing this ends the call on time anyway.
      const stopped = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
      stopped.catch(() => undefined);
      try {
        return await Promise.race([run(request, controller), stopped]);
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        const failure = classify(error);
        coolDown(failure, error);
        throw failure;
      } finally {
        clearTimeout(deadline);
        request.signal?.removeEventListener('abort', fromCaller);
        controller.abort(); // ends a request or stream still running after the race
      }
    },
  };
}

/** Scheme, host and path of the base URL without any user:password. */
export function displayUrl(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    url.username = '';
    url.password = '';
    url.search = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return 'the configured LLM server';
  }
}

/** The client for the configured model (OPENAI_* settings): one place reads them for answers and digests. */
export function clientFromSettings(settings: Omit<LlmSettings, 'model'> & { model?: string }, model = settings.model ?? ''): LlmClient {
  const { apiKey, baseURL, timeoutMs, maxRetries, maxRetryAfterMs, deadlineMs, cooldownMs } = settings;
  return createLlmClient({ apiKey, baseURL, model, timeoutMs, maxRetries, maxRetryAfterMs, deadlineMs, cooldownMs });
}
