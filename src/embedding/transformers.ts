/**
 * Local sentence embeddings with transformers.js (ONNX runtime on the CPU).
 * Default model: Xenova/multilingual-e5-small, which handles Chinese news text well.
 */
import type { pipeline, Tensor } from '@xenova/transformers';
import { ConfigError, EmbedderError } from '../errors.js';
import type { Embedder } from './embedder.js';

export interface TransformersEmbedderOptions {
  /** Hub id or folder name under `localModelPath`; default 'Xenova/multilingual-e5-small'. */
  model?: string;
  /** Where downloaded models are cached, and looked up as `<cacheDir>/<model>/`. */
  cacheDir?: string;
  /** Folder holding `<model>/` with config.json, tokenizer files and onnx/model[_quantized].onnx. */
  localModelPath?: string;
  /** Default true; false never touches the network. */
  allowRemote?: boolean;
  /** Default 20000. The library's fetch has no timeout, so a dead network would hang for minutes. */
  loadTimeoutMs?: number;
  /** Default true: load onnx/model_quantized.onnx instead of onnx/model.onnx. */
  quantized?: boolean;
  /** Default 'query: ' for e5 models, '' otherwise. */
  queryPrefix?: string;
  /** Default 'passage: ' for e5 models, '' otherwise. */
  passagePrefix?: string;
  /** Texts per model call in embedDocuments; default 16. */
  batchSize?: number;
}

/**
 * transformers.js and its ONNX runtime take ~0.3 s to import: imported by the first load, so that
 * a process embedding otherwise (the lexical default) never pays it.
 */
let library: Promise<typeof import('@xenova/transformers')> | undefined;
function transformersLibrary(): Promise<typeof import('@xenova/transformers')> {
  library ??= import('@xenova/transformers').catch((error: unknown) => {
    library = undefined;
    throw new EmbedderError(`transformers.js cannot be loaded (${(error as Error).message}); run \`npm ci\`, or set EMBEDDER=lexical.`, { cause: error });
  });
  return library;
}

export const DEFAULT_TRANSFORMERS_MODEL = 'Xenova/multilingual-e5-small';
const DEFAULT_LOAD_TIMEOUT_MS = 20_000;
const DEFAULT_BATCH_SIZE = 16;
const PROBE_TEXT = 'probe';

type FeatureExtractor = Awaited<ReturnType<typeof pipeline<'feature-extraction'>>>;

export async function loadTransformersEmbedder(options: TransformersEmbedderOptions = {}): Promise<Embedder> {
  const model = options.model ?? DEFAULT_TRANSFORMERS_MODEL;
  const quantized = options.quantized ?? true;
  const batchSize = positiveInteger(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize');
  const loadTimeoutMs = positiveInteger(options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS, 'loadTimeoutMs');
  // e5 models were trained with these markers; without them retrieval quality drops.
  const e5 = isE5Model(model);
  const queryPrefix = options.queryPrefix ?? (e5 ? 'query: ' : '');
  const passagePrefix = options.passagePrefix ?? (e5 ? 'passage: ' : '');

  const { extractor, dimensions } = await loadSerially(() =>
    loadWithinTime(model, quantized, options, loadTimeoutMs),
  );

  const embed = async (texts: string[]): Promise<Float32Array[]> => {
    try {
      return rowsOf(await extractor(texts, { pooling: 'mean', normalize: true }));
    } catch (error) {
      throw new EmbedderError(`Embedding model ${model} failed to embed ${texts.length} text(s)`, { cause: error });
    }
  };

  return {
    // Quantisation and a custom passage prefix change document vectors, so they must change the id.
    id: [
      `transformers:${model}`,
      ...(quantized ? [] : ['unquantized']),
      ...(passagePrefix === (e5 ? 'passage: ' : '') ? [] : [`passage=${JSON.stringify(passagePrefix)}`]),
    ].join(':'),
    dimensions,
    async embedDocuments(texts) {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize).map((text) => passagePrefix + text);
        vectors.push(...(await embed(batch)));
      }
      return vectors;
    },
    async embedQuery(text) {
      const [vector] = await embed([queryPrefix + text]);
      return vector!;
    },
  };
}

/** The folder holding `<model>/` that a load looks in first (or downloads into). */
export async function modelsFolder(options: Pick<TransformersEmbedderOptions, 'localModelPath' | 'cacheDir'>): Promise<string> {
  return options.localModelPath ?? options.cacheDir ?? (await transformersLibrary()).env.cacheDir;
}

/** The files a load reads from `<modelsFolder>/<model>/`. */
export function modelFiles(quantized = true): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', `onnx/${quantized ? 'model_quantized' : 'model'}.onnx`];
}

function isE5Model(model: string): boolean {
  return /(^|[^a-z0-9])e5([^a-z0-9]|$)/i.test(model);
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`Transformers embedder option ${name} must be a positive integer, got ${value}.`);
  }
  return value;
}

/** Copies each row out of a [texts, dimensions] tensor so callers never share its buffer. */
function rowsOf(tensor: Tensor): Float32Array[] {
  const [count = 0, dimensions = 0] = tensor.dims;
  const data = tensor.data as ArrayLike<number>;
  const rows: Float32Array[] = [];
  for (let i = 0; i < count; i++) {
    const row = new Float32Array(dimensions);
    for (let d = 0; d < dimensions; d++) row[d] = data[i * dimensions + d]!;
    rows.push(row);
  }
  return rows;
}

// transformers.js reads its settings from the process-wide `env`, so loads take turns.
let loadQueue: Promise<unknown> = Promise.resolve();

function loadSerially<T>(load: () => Promise<T>): Promise<T> {
  const result = loadQueue.then(load);
  loadQueue = result.catch(() => undefined);
  return result;
}

interface LoadedModel {
  extractor: FeatureExtractor;
  dimensions: number;
}

async function loadWithinTime(
  model: string,
  quantized: boolean,
  options: TransformersEmbedderOptions,
  timeoutMs: number,
): Promise<LoadedModel> {
  const { env, pipeline } = await transformersLibrary();
  const savedEnv = {
    allowRemoteModels: env.allowRemoteModels,
    localModelPath: env.localModelPath,
    cacheDir: env.cacheDir,
  };
  if (options.allowRemote === false) env.allowRemoteModels = false;
  if (options.localModelPath !== undefined) env.localModelPath = options.localModelPath;
  if (options.cacheDir !== undefined) env.cacheDir = options.cacheDir;
  const modelFolder = await modelsFolder(options);

  const abortDownloads = new AbortController();
  const restoreFetch = abortHubFetchesOn(abortDownloads.signal, env.remoteHost);
  const timeoutError = new EmbedderError(
    `Could not load embedding model ${model} within ${timeoutMs / 1000} s ` +
      `(no network or no local copy in ${modelFolder}); check the network, ` +
      `put the model files in ${modelFolder}/${model}/, or raise the load timeout.`,
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abortDownloads.abort(timeoutError);
      reject(timeoutError);
    }, timeoutMs);
    timer.unref(); // a pending load alone must not keep the process alive
  });

  const load = async (): Promise<LoadedModel> => {
    const extractor = await pipeline('feature-extraction', model, { quantized });
    // Models do not declare their output size in a form common to all configs; measure it.
    const probe = await extractor(PROBE_TEXT, { pooling: 'mean', normalize: true });
    const dimensions = probe.dims.at(-1);
    if (!dimensions) throw new Error(`model produced an embedding of shape [${probe.dims.join(', ')}]`);
    return { extractor, dimensions };
  };

  try {
    return await Promise.race([load(), timeout]);
  } catch (error) {
    if (error === timeoutError) throw error;
    const remedy =
      options.allowRemote === false
        ? `put ${modelFiles(quantized).join(', ')} in ${modelFolder}/${model}/ or allow downloads`
        : `check the model name and the network, or put the model files in ${modelFolder}/${model}/`;
    throw new EmbedderError(`Could not load embedding model ${model}; ${remedy}.`, { cause: error });
  } finally {
    clearTimeout(timer);
    restoreFetch();
    Object.assign(env, savedEnv);
  }
}

/**
 * transformers.js 2.17 calls the global fetch with no signal and has no hook to pass one, so
 * for the duration of a load, requests to the model hub get the load's abort signal. Other
 * requests made meanwhile (Telegram, the LLM API) pass through untouched.
 */
function abortHubFetchesOn(signal: AbortSignal, remoteHost: string): () => void {
  const originalFetch = globalThis.fetch;
  const hubFetch: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(remoteHost)) return originalFetch(input, init);
    const signals = init?.signal ? AbortSignal.any([signal, init.signal]) : signal;
    return originalFetch(input, { ...init, signal: signals });
  };
  globalThis.fetch = hubFetch;
  return () => {
    // Leave someone else's later replacement in place.
    if (globalThis.fetch === hubFetch) globalThis.fetch = originalFetch;
  };
}
