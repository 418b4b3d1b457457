import { ConfigError } from './errors.js';

export type EmbedderChoice = 'auto' | 'lexical' | 'transformers' | 'openai';

/** Every setting the project reads, typed and checked. The only reader of process.env. */
export interface Config {
  seedsDir: string;
  indexDir: string;
  embedder: EmbedderChoice;
  lexicalDimensions: number;
  transformersModel: string;
  transformersCacheDir?: string;
  transformersAllowRemote: boolean;
  embedderLoadTimeoutMs: number;
  openAiEmbeddingModel?: string;
  openAiEmbeddingDimensions?: number;
  openAi: {
    apiKey?: string;
    baseURL?: string;
    model?: string;
    timeoutMs: number;
    maxRetries: number;
    maxOutputTokens: number;
    temperature: number;
    /** Approximate token budget for the passages in an answer prompt. */
    promptTokens: number;
    /** Approximate token budget, and number of turns, of conversation history in a prompt. */
    historyTokens: number;
    historyTurns: number;
    /** Longest Retry-After honoured by waiting; a longer one fails the call at once. */
    maxRetryAfterMs: number;
    /** Hard limit on one LLM call, retries and streaming included. */
    deadlineMs: number;
    /** After the LLM fails (unreachable, timeout, 5xx, 429), answer extractively this long without trying it. */
    cooldownMs: number;
  };
  efSearch?: number;
  maxQuestionChars: number;
}

type Environment = Record<string, string | undefined>;

export function loadConfig(environment: Environment = process.env): Config {
  const read = (name: string): string | undefined => {
    const value = environment[name]?.trim();
    return value ? value : undefined;
  };
  const embedder = (read('EMBEDDER') ?? 'auto').toLowerCase();
  if (!['auto', 'lexical', 'transformers', 'openai'].includes(embedder)) {
    throw new ConfigError(`EMBEDDER must be one of auto, lexical, transformers, openai (got "${embedder}").`);
  }
  const config: Config = {
    seedsDir: read('SEEDS_DIR') ?? 'seeds',
    indexDir: read('INDEX_DIR') ?? 'embeddings',
    embedder: embedder as EmbedderChoice,
    lexicalDimensions: integer(read, 'LEXICAL_DIMENSIONS', 512, 16, 65536),
    transformersModel: read('TRANSFORMERS_MODEL') ?? 'Xenova/multilingual-e5-small',
    transformersCacheDir: read('TRANSFORMERS_CACHE_DIR'),
    transformersAllowRemote: (read('TRANSFORMERS_ALLOW_REMOTE') ?? 'true') !== 'false',
    embedderLoadTimeoutMs: integer(read, 'EMBEDDER_LOAD_TIMEOUT_MS', 15000, 100, 600000),
    openAiEmbeddingModel: read('OPENAI_EMBEDDING_MODEL'),
    openAiEmbeddingDimensions: optionalInteger(read, 'OPENAI_EMBEDDING_DIMENSIONS', 1, 65536),
    openAi: {
      apiKey: read('OPENAI_API_KEY'),
      baseURL: read('OPENAI_BASE_URL'),
      model: read('OPENAI_MODEL'),
      timeoutMs: integer(read, 'OPENAI_TIMEOUT_MS', 30000, 100, 600000),
      maxRetries: integer(read, 'OPENAI_MAX_RETRIES', 2, 0, 10),
      maxOutputTokens: integer(read, 'OPENAI_MAX_OUTPUT_TOKENS', 600, 16, 32000),
      temperature: number(read, 'OPENAI_TEMPERATURE', 0.2, 0, 2),
      promptTokens: integer(read, 'OPENAI_PROMPT_TOKENS', 2500, 100, 200000),
      historyTokens: integer(read, 'OPENAI_HISTORY_TOKENS', 600, 0, 100000),
      historyTurns: integer(read, 'OPENAI_HISTORY_TURNS', 4, 0, 50),
      maxRetryAfterMs: integer(read, 'OPENAI_MAX_RETRY_AFTER_MS', 10000, 0, 600000),
      deadlineMs: integer(read, 'OPENAI_DEADLINE_MS', 90000, 100, 600000),
      cooldownMs: integer(read, 'OPENAI_COOLDOWN_MS', 30000, 0, 3600000),
    },
    efSearch: optionalInteger(read, 'HNSW_EF_SEARCH', 10, 10000),
    maxQuestionChars: integer(read, 'MAX_QUESTION_CHARS', 500, 10, 100000),
  };
  if (config.embedder === 'openai' && !config.openAiEmbeddingModel) {
    throw new ConfigError('EMBEDDER=openai needs OPENAI_EMBEDDING_MODEL (e.g. text-embedding-3-small), and OPENAI_BASE_URL for a non-OpenAI server.');
  }
  return config;
}

type Reader = (name: string) => string | undefined;

function integer(read: Reader, name: string, fallback: number, min: number, max: number): number {
  return optionalInteger(read, name, min, max) ?? fallback;
}

function optionalInteger(read: Reader, name: string, min: number, max: number): number | undefined {
  const value = read(name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
  }
  return parsed;
}

function number(read: Reader, name: string, fallback: number, min: number, max: number): number {
  const value = read(name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new ConfigError(`${name} must be a number from ${min} to ${max} (got "${value}").`);
  return parsed;
}
