/**
 * Embeddings from any server that speaks OpenAI's /v1/embeddings: OpenAI itself,
 * or a local server (llama.cpp, Ollama, LM Studio, vLLM, …) through `baseURL`.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { EmbedderError } from '../errors.js';
import { normalize, type Embedder } from './embedder.js';

export interface OpenAiEmbedderOptions {
  /** Absent for local servers that need none. */
  apiKey?: string;
  /** Default https://api.openai.com/v1. */
  baseURL?: string;
  model: string;
  /** Requested from the server when set; otherwise found by a probe call at load. */
  dimensions?: number;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Per request, in milliseconds (default 30000). */
  timeoutMs?: number;
  /** Retries of failed requests by the client (default 2). */
  maxRetries?: number;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const PLACEHOLDER_API_KEY = 'not-needed';
const PROBE_TEXT = 'dimension probe';

export async function loadOpenAiEmbedder(options: OpenAiEmbedderOptions): Promise<Embedder> {
  const baseURL = options.baseURL?.trim() || DEFAULT_BASE_URL;
  const where = displayUrl(baseURL);
  const model = options.model?.trim() ?? '';
  const apiKey = options.apiKey?.trim() || PLACEHOLDER_API_KEY;
  const batchSize = options.batchSize ?? 64;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;

  const invalid = (what: string) => new EmbedderError(`OpenAI-compatible embedder for ${where}: ${what}.`);
  if (!model) throw invalid('no model name was given');
  if (options.dimensions !== undefined && !isPositiveInteger(options.dimensions)) {
    throw invalid(`dimensions must be a positive integer, not ${options.dimensions}`);
  }
  if (!isPositiveInteger(batchSize)) throw invalid(`batchSize must be a positive integer, not ${batchSize}`);
  if (!isPositiveInteger(timeoutMs)) throw invalid(`timeoutMs must be a positive integer, not ${timeoutMs}`);
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw invalid(`maxRetries must be a non-negative integer, not ${maxRetries}`);
  }

  let client: OpenAI;
  try {
    client = new OpenAI({ apiKey, baseURL, timeout: timeoutMs, maxRetries });
  } catch (error) {
    throw failure(`Could not set up the embedding client for ${where}`, error, apiKey);
  }

  /** One request; vectors in input order, normalised, each of `expected` length when given. */
  async function request(input: string[], expected: number | undefined): Promise<Float32Array[]> {
    let response: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      response = await client.embeddings.create({
        model,
        input,
        // Explicit: the client would otherwise ask for base64 and decode it, which
        // turns the plain float arrays some local servers send anyway into garbage.
        encoding_format: 'float',
        ...(options.dimensions !== undefined ? { dimensions: options.dimensions } : {}),
      });
    } catch (error) {
      throw failure(`Could not get embeddings from ${where} (model ${model})`, error, apiKey, hint(error));
    }

    const bad = (what: string) =>
      new EmbedderError(`The embedding server at ${where} (model ${model}) sent an unusable reply: ${what}.`);
    const data = Array.isArray(response?.data) ? response.data : undefined;
    if (!data) throw bad('no data array');
    if (data.length !== input.length) throw bad(`${data.length} embeddings for ${input.length} texts`);
    const vectors = new Array<Float32Array | undefined>(input.length);
    for (const [position, item] of data.entries()) {
      const index = item?.index ?? position;
      if (!Number.isInteger(index) || index < 0 || index >= input.length || vectors[index]) {
        throw bad(`an embedding with index ${String(index)}`);
      }
      const embedding: unknown = item?.embedding;
      if (!Array.isArray(embedding) || embedding.length === 0) throw bad(`embedding ${index} is not a list of numbers`);
      if (expected !== undefined && embedding.length !== expected) {
        throw bad(`embedding ${index} has ${embedding.length} dimensions, expected ${expected}`);
      }
      const vector = new Float32Array(embedding.length);
      for (let i = 0; i < embedding.length; i++) {
        const value = embedding[i];
        if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`embedding ${index} contains ${String(value)}`);
        vector[i] = value;
      }
      vectors[index] = normalize(vector);
    }
    return vectors as Float32Array[];
  }

  let dimensions = options.dimensions;
  if (dimensions === undefined) {
    const [probe] = await request([PROBE_TEXT], undefined);
    dimensions = probe!.length;
  }
  const dims = dimensions;

  async function embedDocuments(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      out.push(...(await request(texts.slice(start, start + batchSize), dims)));
    }
    return out;
  }

  return {
    id: `openai:${model}:${dims}`,
    dimensions: dims,
    embedDocuments,
    async embedQuery(text: string): Promise<Float32Array> {
      const [vector] = await request([text], dims);
      return vector!;
    },
  };
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

/** The base URL without any user:password part. */
function displayUrl(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
    }
    return url.toString().replace(/\/$/, '');
  } catch {
    return baseURL;
  }
}

/** A short pointer at the likely fix, for the common failures. */
function hint(error: unknown): string | undefined {
  if (error instanceof APIConnectionTimeoutError) return 'the server did not answer in time';
  if (error instanceof APIConnectionError) return 'is the server running and the base URL right?';
  if (error instanceof APIError) {
    if (error.status === 401 || error.status === 403) return 'check the API key';
    if (error.status === 404) return 'check the model name and the base URL';
    if (error.status === 429) return 'the server is rate limiting; try again later';
  }
  return undefined;
}

/**
 * An EmbedderError whose message ends with the cause's message. The API key is
 * scrubbed from both, in case a server echoes it back.
 */
function failure(sentence: string, cause: unknown, apiKey: string, advice?: string): EmbedderError {
  const causeMessage = cause instanceof Error ? cause.message : String(cause);
  const scrub = (text: string) =>
    apiKey !== PLACEHOLDER_API_KEY && apiKey.length > 0 ? text.split(apiKey).join('[redacted]') : text;
  let safeCause = cause;
  if (scrub(causeMessage) !== causeMessage) {
    const copy = new Error(scrub(causeMessage));
    copy.name = cause instanceof Error ? cause.name : 'Error';
    safeCause = copy;
  }
  const detail = scrub(causeMessage) || 'unknown error';
  return new EmbedderError(`${sentence}: ${detail}${advice ? ` (${advice})` : ''}`, { cause: safeCause });
}
