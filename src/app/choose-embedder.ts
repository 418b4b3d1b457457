/** The composition root: which embedder the configuration asks for (and the one an index was built with). */
import type { Config } from '../config.js';
import { EmbedderError, describeError } from '../errors.js';
import { forgetAutoFailure, recallAutoFailure, rememberAutoFailure } from '../embedding/auto-failures.js';
import type { Embedder } from '../embedding/embedder.js';
import { LexicalEmbedder, lexicalEmbedderFromId } from '../embedding/lexical.js';
import { loadOpenAiEmbedder } from '../embedding/openai.js';
import { loadTransformersEmbedder } from '../embedding/transformers.js';

export type Log = (line: string) => void;

function transformersOptions(config: Config, model = config.transformersModel) {
  return {
    model,
    cacheDir: config.transformersCacheDir,
    allowRemote: config.transformersAllowRemote,
    loadTimeoutMs: config.embedderLoadTimeoutMs,
  };
}

function openAiOptions(config: Config, model: string, dimensions?: number) {
  return { apiKey: config.openAi.apiKey, baseURL: config.openAi.baseURL, model, dimensions, timeoutMs: config.openAi.timeoutMs };
}

/**
 * The embedder for building an index. `auto` tries the multilingual transformers model
 * (bounded in time: its download has no timeout of its own) and falls back to the built-in
 * lexical embedder, saying so in one line. A failed attempt is remembered (auto-failures.ts):
 * later ingests and /reindex with the same settings and model files go straight to lexical,
 * without the wait and without the line again.
 */
export async function chooseEmbedder(config: Config, log: Log): Promise<Embedder> {
  switch (config.embedder) {
    case 'lexical':
      return new LexicalEmbedder(config.lexicalDimensions);
    case 'transformers':
      return loadTransformersEmbedder(transformersOptions(config));
    case 'openai':
      return loadOpenAiEmbedder(openAiOptions(config, config.openAiEmbeddingModel!, config.openAiEmbeddingDimensions));
    case 'auto':
      return autoEmbedder(config, log);
  }
}

async function autoEmbedder(config: Config, log: Log): Promise<Embedder> {
  const options = transformersOptions(config);
  if (await recallAutoFailure(config.indexDir, options)) return new LexicalEmbedder(config.lexicalDimensions);
  try {
    const embedder = await loadTransformersEmbedder(options);
    await forgetAutoFailure(config.indexDir);
    return embedder;
  } catch (error) {
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : describeError(error);
    const marker = await rememberAutoFailure(config.indexDir, options, reason).catch((problem: unknown) => {
      log(`Could not record the failed model load in ${config.indexDir}/ (${describeError(problem)}); the next ingest tries it again.`);
      return undefined;
    });
    const until = marker
      ? ` Not tried again until the model settings or its files change (or ${marker} is deleted).`
      : '';
    log(`Using the built-in lexical embedder: ${config.transformersModel} could not be loaded (${reason}).${until} Set EMBEDDER=lexical to skip the attempt.`);
    return new LexicalEmbedder(config.lexicalDimensions);
  }
}

/** The embedder an existing index was built with, so questions are embedded the same way. */
export async function embedderForManifest(manifest: { embedder: { id: string } }, config: Config): Promise<Embedder> {
  const id = manifest.embedder.id;
  const lexical = lexicalEmbedderFromId(id);
  if (lexical) return lexical;
  if (id.startsWith('transformers:')) {
    const model = id.slice('transformers:'.length).replace(/(:unquantized)?(:passage=.*)?$/, '');
    return loadTransformersEmbedder({ ...transformersOptions(config, model), quantized: !id.includes(':unquantized') });
  }
  const openai = /^openai:(.+):(\d+)$/.exec(id);
  if (openai) return loadOpenAiEmbedder(openAiOptions(config, openai[1]!, Number(openai[2])));
  throw new EmbedderError(`The index was built with an unknown embedder "${id}". Run \`npm run ingest\` to rebuild it.`);
}
