import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import hnswlib from 'hnswlib-node';
import { createAsker } from '../answering/ask.js';
import { LexicalEmbedder, lexicalEmbedderFromId } from '../embedding/lexical.js';
import { ForumBotError } from '../errors.js';
import { buildIndex } from '../index/build.js';
import { loadForumIndex, type ForumIndex } from '../index/forum-index.js';
import { MANIFEST_FILE, verifyFile, type Manifest } from '../index/manifest.js';
import { retrieve } from '../retrieval/retrieve.js';
import { searchTerms } from '../text/tokenize.js';
import { exactSearch, recallAtK, similarityAt } from '../index/exact.js';
import { MB, distribution, peakRssMb, rssMb, type Distribution } from './measure.js';

/**
 * The two measured phases of one corpus size. Each runs in a fresh child process (see
 * scripts/bench.ts) so its peak RSS and its CPU profile are its own.
 */

export interface IngestPhaseOptions {
  seedsDir: string;
  indexDir: string;
  dimensions: number;
}

export interface IngestPhaseResult {
  documents: number;
  chunks: number;
  seconds: number;
  chunksPerSecond: number;
  /** Seconds spent in each stage of buildIndex, when it reports them. */
  stages: Record<string, number>;
  files: Record<string, number>;
  indexBytes: number;
  /** What a question-answering process reads: everything but vectors.f32. */
  servingBytes: number;
  peakRssMb: number;
}

export async function ingestPhase(options: IngestPhaseOptions): Promise<IngestPhaseResult> {
  const started = performance.now();
  const stageStarts: [string, number][] = [['load', started]];
  const result = await buildIndex({
    seedsDir: options.seedsDir,
    indexDir: options.indexDir,
    embedder: new LexicalEmbedder(options.dimensions),
    force: true,
    onProgress: (event) => {
      const now = performance.now();
      if (event.stage === 'loaded') stageStarts.push(['prepare', now]);
      if (event.stage === 'chunked') stageStarts.push(['embed', now]);
      if (event.stage === 'writing') stageStarts.push(['write', now]);
    },
  });
  const finished = performance.now();
  const stages: Record<string, number> = {};
  stageStarts.forEach(([name, at], i) => {
    stages[name] = ((stageStarts[i + 1]?.[1] ?? finished) - at) / 1000;
  });
  // buildIndex may report a finer breakdown of its own.
  const reported = (result as { timings?: Record<string, number> }).timings;
  if (reported) for (const [name, seconds] of Object.entries(reported)) stages[name] = seconds;

  const files: Record<string, number> = {};
  for (const [key, entry] of Object.entries(result.manifest.files)) files[key] = entry.bytes;
  const manifestBytes = (await stat(path.join(options.indexDir, MANIFEST_FILE))).size;
  const indexBytes = Object.values(files).reduce((sum, bytes) => sum + bytes, 0) + manifestBytes;
  const seconds = (finished - started) / 1000;
  return {
    documents: result.documents,
    chunks: result.chunks,
    seconds,
    chunksPerSecond: result.chunks / seconds,
    stages,
    files,
    indexBytes,
    servingBytes: indexBytes - (files.vectors ?? 0),
    peakRssMb: peakRssMb(),
  };
}

export interface QueryPhaseOptions {
  indexDir: string;
  queries: string[];
  /** Queries run once, unmeasured, before measuring (JIT, caches). */
  warmup: number;
  /** Chats for the bot benchmark, when src/telegram/bench.ts exists; 0 skips it. */
  botChats: number;
  /** HNSW ef values to measure recall@10 and latency at, besides the configured one. */
  efSweep?: number[];
}

export interface EfPoint {
  ef: number;
  recallAt10: number;
  p50Ms: number;
  p95Ms: number;
}

export interface QueryPhaseResult {
  loadMs: number;
  rssAfterLoadMb: number;
  /** Peak RSS of the serving part (index loaded, questions answered), before the bench loads vectors.f32. */
  servingPeakRssMb: number;
  /** RSS after the questions and a full GC: what an idle bot holds. */
  servingSteadyRssMb: number;
  ask: Distribution;
  hybrid: Distribution;
  bm25: Distribution;
  /** Query embedding alone (the lexical embedder). */
  embed: Distribution;
  /**
   * HNSW search (k = 10, configured ef) through `searchVectors`, measured next to exact search:
   * the search in the index's worker thread plus the message round trip to it and back.
   */
  hnsw: Distribution;
  exact: Distribution;
  recallAt10: number;
  recallAt10Strict: number;
  efSearch: number;
  /** How ingest chose efSearch (recall@10 of its sample questions), when it measured it. */
  efCalibration?: Manifest['hnsw']['calibration'];
  /**
   * Recall and latency of HNSW (k = 10) at other ef values, on the same graph and queries: a
   * copy of the graph searched on this thread, so without the worker's message round trip.
   */
  efSweep: EfPoint[];
  /** The first question asked of a freshly loaded index (per-index caches are built then). */
  firstAskMs: number;
  /** The slowest warm-up question (e.g. the first English one). */
  warmupMaxAskMs: number;
  bot?: Record<string, unknown> | { error: string };
}

export async function queryPhase(options: QueryPhaseOptions): Promise<QueryPhaseResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const loadStarted = performance.now();
  const index = await loadForumIndex(options.indexDir, {
    resolveEmbedder: async (manifest) => {
      const embedder = lexicalEmbedderFromId(manifest.embedder.id);
      if (!embedder) throw new ForumBotError(`The benchmark index was not built with the lexical embedder (${manifest.embedder.id}).`);
      return embedder;
    },
  });
  const loadMs = performance.now() - loadStarted;
  const rssAfterLoadMb = rssMb();
  const ask = createAsker({ index });
  const bm25 = (query: string) => index.keywords.search(searchTerms(query), 30);

  const warmupAsks: number[] = [];
  for (const query of options.queries.slice(0, Math.max(1, options.warmup))) {
    const started = performance.now();
    await ask(query);
    warmupAsks.push(performance.now() - started);
    await retrieve(index, query);
    bm25(query);
  }

  // Pass 1, what the bot does: ask, hybrid retrieval and plain BM25 side by side, in rotating order.
  const samples = { ask: [] as number[], hybrid: [] as number[], bm25: [] as number[], embed: [] as number[] };
  const operations: [keyof typeof samples, (query: string) => unknown][] = [
    ['ask', (query) => ask(query)],
    ['hybrid', (query) => retrieve(index, query)],
    ['bm25', bm25],
    ['embed', (query) => index.embedder.embedQuery(query)],
  ];
  for (const [i, query] of options.queries.entries()) {
    for (let j = 0; j < operations.length; j++) {
      const [name, run] = operations[(i + j) % operations.length]!;
      const started = performance.now();
      await run(query);
      samples[name].push(performance.now() - started);
    }
  }
  const servingPeakRssMb = peakRssMb();
  gc?.();
  const servingSteadyRssMb = rssMb();

  let bot: QueryPhaseResult['bot'];
  if (options.botChats > 0) bot = await botBenchmark(index, options.botChats);

  // Pass 2: HNSW against exact search over the same vectors (loaded only here: the bot never reads them).
  const vectorFile = await verifyFile(options.indexDir, index.manifest, 'vectors');
  const raw = await readFile(vectorFile);
  const vectors = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
  const dimensions = index.manifest.embedder.dimensions;
  const hnswMs: number[] = [];
  const exactMs: number[] = [];
  let recall = 0;
  let recallStrict = 0;
  for (const [i, query] of options.queries.entries()) {
    const vector = await index.embedder.embedQuery(query);
    let approximate: { position: number }[] = [];
    let exact: ReturnType<typeof exactSearch> = [];
    const runHnsw = async () => {
      const started = performance.now();
      approximate = await index.searchVectors(vector, 10);
      hnswMs.push(performance.now() - started);
    };
    const runExact = () => {
      const started = performance.now();
      exact = exactSearch(vectors, dimensions, vector, 10);
      exactMs.push(performance.now() - started);
    };
    if (i % 2) {
      await runHnsw();
      runExact();
    } else {
      runExact();
      await runHnsw();
    }
    const score = recallAtK(approximate, exact, 10, (position) => similarityAt(vectors, dimensions, position, vector));
    recall += score.tieAware;
    recallStrict += score.strict;
  }

  // The same graph at other ef values (a second copy: the index keeps its own ef).
  const efSweep: EfPoint[] = [];
  if (options.efSweep?.length) {
    const graph = new hnswlib.HierarchicalNSW('cosine', dimensions);
    await graph.readIndex(path.join(options.indexDir, index.manifest.files.hnsw.path));
    const queryVectors = await Promise.all(options.queries.map((query) => index.embedder.embedQuery(query)));
    const truth = queryVectors.map((vector) => exactSearch(vectors, dimensions, vector, 10));
    for (const ef of options.efSweep) {
      graph.setEf(ef);
      const times: number[] = [];
      let sum = 0;
      queryVectors.forEach((vector, i) => {
        const started = performance.now();
        const found = graph.searchKnn(Array.from(vector), Math.min(10, index.corpus.chunks.length));
        times.push(performance.now() - started);
        sum += recallAtK(found.neighbors.map((position) => ({ position })), truth[i]!, 10, (position) => similarityAt(vectors, dimensions, position, vector)).tieAware;
      });
      const spread = distribution(times);
      efSweep.push({ ef, recallAt10: sum / Math.max(1, queryVectors.length), p50Ms: spread.p50, p95Ms: spread.p95 });
    }
  }
  await index.close();

  return {
    loadMs,
    rssAfterLoadMb,
    servingPeakRssMb,
    servingSteadyRssMb,
    ask: distribution(samples.ask),
    hybrid: distribution(samples.hybrid),
    bm25: distribution(samples.bm25),
    embed: distribution(samples.embed),
    hnsw: distribution(hnswMs),
    exact: distribution(exactMs),
    recallAt10: recall / Math.max(1, options.queries.length),
    recallAt10Strict: recallStrict / Math.max(1, options.queries.length),
    efSearch: index.manifest.hnsw.efSearch,
    ...(index.manifest.hnsw.calibration ? { efCalibration: index.manifest.hnsw.calibration } : {}),
    efSweep,
    firstAskMs: warmupAsks[0] ?? 0,
    warmupMaxAskMs: Math.max(0, ...warmupAsks),
    ...(bot ? { bot } : {}),
  };
}

/**
 * The bot engineer's benchmark (src/telegram/bench.ts: benchBot({chats, index}) →
 * {updatesPerSecond, p50Ms, p95Ms, rssMb}), run when it exists.
 */
async function botBenchmark(index: ForumIndex, chats: number): Promise<QueryPhaseResult['bot']> {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const candidates = ['../telegram/bench.ts', '../telegram/bench.js'].map((file) => path.resolve(here, file));
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) return undefined;
  try {
    const module = (await import(pathToFileURL(file).href)) as { benchBot?: (options: { chats: number; index: ForumIndex }) => Promise<Record<string, unknown>> };
    if (typeof module.benchBot !== 'function') return { error: `${path.basename(file)} has no benchBot export` };
    return await module.benchBot({ chats, index });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Bytes of every file under a folder (the corpus on disk). */
export async function folderBytes(directory: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(directory)) total += (await stat(path.join(directory, name))).size;
  return total;
}

export const MEGABYTE = MB;
