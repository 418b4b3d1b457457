/**
 * A real HTTP server on 127.0.0.1 that speaks enough of the OpenAI wire format
 * (embeddings, chat completions with and without SSE streaming, models) for tests
 * that drive the real `openai` client. Replies can be scripted to fail, hang,
 * stop mid-stream or be malformed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/v1/chat/completions". */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body; the raw string if it is not JSON; undefined if empty. */
  body: any;
}

export type ScriptedReply =
  /**
   * A normal answer: JSON, or SSE chunks when the request has `stream: true`.
   * `pieceSize` (default 5) is the number of characters per chunk; `delayMs`
   * (default 0) is a pause between chunks.
   */
  | { kind: 'chat'; content: string; status?: 200; pieceSize?: number; delayMs?: number }
  /** An error status; the body defaults to OpenAI's `{error:{message,type,code}}`. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Accept the request and never answer (until the client gives up or the server closes). */
  | { kind: 'hang' }
  /** Start an SSE stream, send the first `cutAfterChars` characters, then destroy the socket. */
  | { kind: 'cut-stream'; content: string; cutAfterChars: number; pieceSize?: number; delayMs?: number }
  /** Anything at all, e.g. malformed JSON. Content-Type defaults to application/json. */
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string> };

/** Replies for /v1/embeddings: `embeddings` is the normal answer computed with `embed`. */
export type EmbeddingsReply =
  | { kind: 'embeddings' }
  | Extract<ScriptedReply, { kind: 'status' | 'hang' | 'raw' }>;

export interface FakeOpenAi {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseURL: string;
  /** Every request, in order of arrival. */
  requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  embeddingRequests(): RecordedRequest[];
  /** Replies consumed in order by /v1/chat/completions. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Answers chat requests when the queue is empty. Without one, such requests get a 400. */
  setChatHandler(fn: (body: any, request: RecordedRequest) => ScriptedReply): void;
  /** Replies consumed in order by /v1/embeddings; when empty, embeddings are computed normally. */
  enqueueEmbeddings(...replies: EmbeddingsReply[]): void;
  /** Shorthand: the next `times` embedding requests get `status` (OpenAI error body). */
  failEmbeddings(status: number, times?: number, headers?: Record<string, string>): void;
  /**
   * The embedding used by /v1/embeddings (default: a hashed bag of characters).
   * Assign to override. A request's `dimensions` truncates the result.
   */
  embed: (text: string) => number[];
  /** Closes the server and destroys open sockets, including hanging requests. */
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  /** Length of the default embedding (16). */
  embeddingDimensions?: number;
}

/** Deterministic: each character adds ±1 to a hashed bucket. Not normalised. */
export function hashedBagOfCharacters(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const char of text) {
    // FNV-1a over the code point.
    let hash = 0x811c9dc5;
    let code = char.codePointAt(0)!;
    while (code > 0) {
      hash ^= code & 0xff;
      hash = Math.imul(hash, 0x01000193) >>> 0;
      code >>>= 8;
    }
    const bucket = hash % dimensions;
    vector[bucket]! += hash & 0x80000000 ? -1 : 1;
  }
  return vector;
}

export function openAiErrorBody(status: number, message?: string): { error: { message: string; type: string; code: string | null; param: null } } {
  const [type, code] =
    status === 400 ? ['invalid_request_error', null]
    : status === 401 ? ['invalid_request_error', 'invalid_api_key']
    : status === 404 ? ['invalid_request_error', 'not_found']
    : status === 429 ? ['requests', 'rate_limit_exceeded']
    : status >= 500 ? ['server_error', null]
    : ['invalid_request_error', null];
  return {
    error: {
      message: message ?? `fake-openai: scripted ${status} (${http.STATUS_CODES[status] ?? 'error'})`,
      type,
      code,
      param: null,
    },
  };
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const defaultDimensions = options.embeddingDimensions ?? 16;
  const requests: RecordedRequest[] = [];
  const chatQueue: ScriptedReply[] = [];
  const embeddingsQueue: EmbeddingsReply[] = [];
  let chatHandler: ((body: any, request: RecordedRequest) => ScriptedReply) | undefined;
  let sequence = 0;
  let closed: Promise<void> | undefined;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
      requests.push(recorded);
      route(recorded, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, openAiErrorBody(500, `fake-openai crashed: ${String(error)}`));
        else res.destroy();
      });
    });
  });

  async function route(request: RecordedRequest, res: http.ServerResponse): Promise<void> {
    const { method, path } = request;
    if (method === 'POST' && path === '/v1/chat/completions') {
      const reply = chatQueue.shift() ?? chatHandler?.(request.body, request) ?? {
        kind: 'status',
        status: 400,
        body: openAiErrorBody(400, 'fake-openai: no scripted chat reply; call enqueue() or setChatHandler()'),
      };
      return replyToChat(request, reply, res);
    }
    if (method === 'POST' && path === '/v1/embeddings') {
      const reply = embeddingsQueue.shift() ?? { kind: 'embeddings' };
      if (reply.kind === 'embeddings') return replyWithEmbeddings(request, res);
      return replyGeneric(reply, res);
    }
    if (method === 'GET' && path === '/v1/models') {
      const created = 1_700_000_000;
      sendJson(res, 200, {
        object: 'list',
        data: ['fake-chat', 'fake-embedding'].map((id) => ({ id, object: 'model', created, owned_by: 'fake-openai' })),
      });
      return;
    }
    sendJson(res, 404, openAiErrorBody(404, `fake-openai: unknown endpoint ${method} ${path}`));
  }

  function replyGeneric(reply: Extract<ScriptedReply, { kind: 'status' | 'hang' | 'raw' }>, res: http.ServerResponse): void {
    switch (reply.kind) {
      case 'status':
        sendJson(res, reply.status, reply.body ?? openAiErrorBody(reply.status), reply.headers);
        return;
      case 'hang':
        return; // server.closeAllConnections() ends it
      case 'raw':
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(reply.body);
        return;
    }
  }

  async function replyToChat(request: RecordedRequest, reply: ScriptedReply, res: http.ServerResponse): Promise<void> {
    if (reply.kind !== 'chat' && reply.kind !== 'cut-stream') return replyGeneric(reply, res);
    const body = typeof request.body === 'object' && request.body !== null ? request.body : {};
    const model = typeof body.model === 'string' ? body.model : 'fake-chat';
    const id = `chatcmpl-fake-${++sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = {
      prompt_tokens: estimateTokens(JSON.stringify(body.messages ?? '')),
      completion_tokens: estimateTokens(reply.content),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;

    if (reply.kind === 'chat' && body.stream !== true) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage,
      });
      return;
    }

    // SSE (a cut-stream is always streamed, whatever the request said).
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (choices: unknown[], extra: object = {}) => ({ id, object: 'chat.completion.chunk', created, model, choices, ...extra });
    const send = (data: unknown) =>
      new Promise<void>((resolve) => {
        res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`, () => resolve());
      });
    const pause = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
    const text = reply.kind === 'cut-stream' ? Array.from(reply.content).slice(0, Math.max(0, reply.cutAfterChars)).join('') : reply.content;
    const pieces = splitPieces(text, reply.pieceSize ?? 5);
    const delayMs = reply.delayMs ?? 0;

    await send(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
    for (const piece of pieces) {
      if (res.destroyed) return;
      await pause(delayMs);
      await send(chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]));
    }
    if (reply.kind === 'cut-stream') {
      res.destroy();
      return;
    }
    await pause(delayMs);
    await send(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
    if (body.stream_options?.include_usage === true) await send(chunk([], { usage }));
    await send('[DONE]');
    res.end();
  }

  function replyWithEmbeddings(request: RecordedRequest, res: http.ServerResponse): void {
    const body = typeof request.body === 'object' && request.body !== null ? request.body : {};
    const inputs = embeddingInputs(body.input);
    if (!inputs) {
      sendJson(res, 400, openAiErrorBody(400, "fake-openai: 'input' must be a string, an array of strings or token arrays"));
      return;
    }
    const requested = body.dimensions;
    if (requested !== undefined && !(Number.isInteger(requested) && requested > 0)) {
      sendJson(res, 400, openAiErrorBody(400, "fake-openai: 'dimensions' must be a positive integer"));
      return;
    }
    const data = [];
    for (const [index, input] of inputs.entries()) {
      let vector = fake.embed(input);
      if (requested !== undefined) {
        if (requested > vector.length) {
          sendJson(res, 400, openAiErrorBody(400, `fake-openai: this model supports at most ${vector.length} dimensions`));
          return;
        }
        vector = vector.slice(0, requested);
      }
      const embedding =
        body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      data.push({ object: 'embedding', index, embedding });
    }
    const tokens = inputs.reduce((sum, input) => sum + estimateTokens(input), 0);
    sendJson(res, 200, {
      object: 'list',
      data,
      model: typeof body.model === 'string' ? body.model : 'fake-embedding',
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const fake: FakeOpenAi = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    embeddingRequests: () => requests.filter((r) => r.path === '/v1/embeddings'),
    enqueue: (...replies) => {
      chatQueue.push(...replies);
    },
    setChatHandler: (fn) => {
      chatHandler = fn;
    },
    enqueueEmbeddings: (...replies) => {
      embeddingsQueue.push(...replies);
    },
    failEmbeddings: (status, times = 1, headers) => {
      for (let i = 0; i < times; i++) embeddingsQueue.push({ kind: 'status', status, ...(headers ? { headers } : {}) });
    },
    embed: (text) => hashedBagOfCharacters(text, defaultDimensions),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
  return fake;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function embeddingInputs(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((x) => typeof x === 'string')) return input as string[];
  if (input.every((x) => typeof x === 'number')) return [input.join(' ')];
  if (input.every((x) => Array.isArray(x) && x.every((t) => typeof t === 'number'))) return input.map((x: number[]) => x.join(' '));
  return undefined;
}

/** Splits by code points so surrogate pairs (and CJK text) are never broken. */
function splitPieces(text: string, size: number): string[] {
  const chars = Array.from(text);
  const step = Math.max(1, Math.floor(size));
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += step) pieces.push(chars.slice(i, i + step).join(''));
  return pieces;
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(Array.from(text).length / 4));
}
