/** The composition root: the configured embedder and index (built first when there is none). */
import type { Config } from '../config.js';
import { chooseEmbedder, embedderForManifest, type Log } from './choose-embedder.js';
import { buildIndex, type BuildProgress, type BuildResult } from '../index/build.js';
import { loadForumIndex, type ForumIndex } from '../index/forum-index.js';
import { readManifest } from '../index/manifest.js';

/** Loads the index with the embedder it was built with, and the configured search breadth. */
export function loadConfiguredIndex(config: Config, directory = config.indexDir): Promise<ForumIndex> {
  return loadForumIndex(directory, {
    resolveEmbedder: (manifest) => embedderForManifest(manifest, config),
    efSearch: config.efSearch,
  });
}

/** Builds the index from the configured seeds with the configured embedder. */
export async function buildConfiguredIndex(
  config: Config,
  options: { force?: boolean; log: Log; onProgress?: (event: BuildProgress) => void },
): Promise<BuildResult> {
  const embedder = await chooseEmbedder(config, options.log);
  return buildIndex({ seedsDir: config.seedsDir, indexDir: config.indexDir, embedder, force: options.force, onProgress: options.onProgress });
}

/** The index, built first (and said so) when there is none yet: a new user's first question just works. */
export async function openIndex(config: Config, log: Log): Promise<ForumIndex> {
  if (!(await readManifest(config.indexDir))) {
    log(`No index in ${config.indexDir}/ yet: building it from ${config.seedsDir}/ first (the same as \`npm run ingest\`).`);
    const result = await buildConfiguredIndex(config, { log });
    for (const problem of result.problems) log(`skipped ${problem.message}`);
    log(summaryLine(result, config));
  }
  return loadConfiguredIndex(config);
}

export function summaryLine(result: BuildResult, config: Config): string {
  if (result.unchanged) {
    return `Index in ${config.indexDir}/ is up to date: ${result.documents} articles, ${result.chunks} chunks (${result.manifest.embedder.id}); nothing to do.`;
  }
  const removed = result.removed.length ? `, ${result.removed.length} removed` : '';
  const skipped = result.problems.length ? `, ${result.problems.length} file(s) skipped` : '';
  const { efSearch, calibration } = result.manifest.hnsw;
  const unmeasured = calibration?.problem ? ` HNSW efSearch could not be measured (${calibration.problem}): using ${efSearch}; the next ingest measures it again.` : '';
  return `Indexed ${result.documents} articles → ${result.chunks} chunks (${result.embedded} embedded, ${result.reused} reused${removed}${skipped}) with ${result.manifest.embedder.id} in ${result.seconds.toFixed(1)} s → ${config.indexDir}/${unmeasured}`;
}
