// efSearch measured at ingest (src/index/calibrate.ts): the recall the manifest records is the
// recall the graph really has at that ef, the ef is the smallest on the ladder that reaches the
// target, and a fixed efSearch is kept as given.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../src/bench/corpus.js';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { buildIndex } from '../../src/index/build.js';
import { CALIBRATION, FALLBACK_EF, sampleQuestions } from '../../src/index/calibrate.js';
import { summaryLine } from '../../src/app/open-index.js';
import { loadConfig } from '../../src/config.js';
import { exactSearch, exactSearchBatch, recallAtK, similarityAt } from '../../src/index/exact.js';
import { loadForumIndex, type ForumIndex } from '../../src/index/forum-index.js';
import { createHnswBuilder } from '../../src/index/hnsw-builder.js';
import { REPO_SEEDS, buildSeedIndex, temporaryDirectory } from '../support/seed-index.js';

const embedder = new LexicalEmbedder(256);
let work: { dir: string; remove: () => Promise<void> };
let index: ForumIndex;
let vectors: Float32Array;

beforeAll(async () => {
  work = await temporaryDirectory('calibrate-');
  const corpus = await generateCorpus({ seedsDir: REPO_SEEDS, outDir: path.join(work.dir, 'seeds'), chunks: 2500, seed: 11 });
  const indexDir = path.join(work.dir, 'index');
  await buildIndex({ seedsDir: corpus.dir, indexDir, embedder, force: true });
  index = await loadForumIndex(indexDir, { resolveEmbedder: async () => embedder });
  const raw = await readFile(path.join(indexDir, index.manifest.files.vectors.path));
  vectors = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
}, 120_000);
afterAll(async () => {
  await index?.close();
  await work?.remove();
});

/** Recall@10 of the ingest's sample questions on the written graph, at a given ef, measured here independently. */
async function sampleRecall(ef: number): Promise<number> {
  const graph = new hnswlib.HierarchicalNSW('cosine', embedder.dimensions);
  graph.readIndexSync(path.join(index.directory, index.manifest.files.hnsw.path));
  graph.setEf(ef);
  const texts = sampleQuestions(index.corpus.chunks, CALIBRATION.queries);
  let sum = 0;
  for (const text of texts) {
    const query = await embedder.embedQuery(text);
    const exact = exactSearch(vectors, embedder.dimensions, query, 10);
    const found = graph.searchKnn(Array.from(query), 10);
    sum += recallAtK(found.neighbors.map((position) => ({ position })), exact, 10, (p) => similarityAt(vectors, embedder.dimensions, p, query)).tieAware;
  }
  return sum / texts.length;
}

describe('efSearch calibrated at ingest', () => {
  it('records the smallest ef on the ladder whose measured recall reaches the target, and that recall is real', async () => {
    const { efSearch, calibration } = index.manifest.hnsw;
    expect(calibration).toBeDefined();
    expect(calibration!.queries).toBe(CALIBRATION.queries);
    expect(CALIBRATION.ladder).toContain(efSearch);
    expect(calibration!.recallAt10).toBeGreaterThanOrEqual(CALIBRATION.target);
    // The manifest stores recall rounded to four places: half a unit in the last place either way.
    expect(Math.abs((await sampleRecall(efSearch)) - calibration!.recallAt10!)).toBeLessThanOrEqual(0.00005 + 1e-12);
    const rung = CALIBRATION.ladder.indexOf(efSearch as (typeof CALIBRATION.ladder)[number]);
    if (rung > 0) expect(await sampleRecall(CALIBRATION.ladder[rung - 1]!)).toBeLessThan(CALIBRATION.target);
    // Far below exhaustive: the point of calibrating is not to search the whole graph.
    expect(efSearch).toBeLessThan(index.corpus.chunks.length / 4);
  });

  it('sample questions are short runs of the archive\'s words, the same on every build', () => {
    const texts = sampleQuestions(index.corpus.chunks, CALIBRATION.queries);
    expect(texts).toHaveLength(CALIBRATION.queries);
    expect(new Set(texts).size).toBeGreaterThan(CALIBRATION.queries * 0.9);
    for (const text of texts) expect([...text].length).toBeLessThanOrEqual(40);
    expect(sampleQuestions(index.corpus.chunks, CALIBRATION.queries)).toEqual(texts);
  });

  it('keeps a fixed efSearch as given, and a tiny archive gets the first rung without measuring', async () => {
    const { dir, remove } = await temporaryDirectory('calibrate-fixed-');
    try {
      const fixed = await buildIndex({ seedsDir: REPO_SEEDS, indexDir: path.join(dir, 'fixed'), embedder, hnsw: { efSearch: 777 } });
      expect(fixed.manifest.hnsw.efSearch).toBe(777);
      expect(fixed.manifest.hnsw.calibration).toBeUndefined();
      const seeds = await buildSeedIndex(path.join(dir, 'seeds'));
      try {
        expect(seeds.manifest.hnsw.efSearch).toBe(CALIBRATION.ladder[0]);
        expect(seeds.manifest.hnsw.calibration).toMatchObject({ queries: 0, recallAt10: 1 });
      } finally {
        await seeds.close();
      }
    } finally {
      await remove();
    }
  });

  it('the build thread searches and writes its graph exactly as a graph built on this thread does', async () => {
    const dimensions = embedder.dimensions;
    const count = 600;
    const shared = new Float32Array(new SharedArrayBuffer(count * dimensions * 4));
    shared.set(vectors.subarray(0, count * dimensions));
    const inWorker = createHnswBuilder(shared, dimensions, { M: 16, efConstruction: 100 });
    inWorker.ready(count);
    const local = createHnswBuilder(Float32Array.from(shared), dimensions, { M: 16, efConstruction: 100 });
    const queries = Float32Array.from(vectors.subarray(count * dimensions, (count + 20) * dimensions));
    try {
      const a = await inWorker.search(queries, 10, 64);
      const b = await local.search(queries, 10, 64);
      expect(Array.from(a.neighbors)).toEqual(Array.from(b.neighbors));
      expect(a.neighbors.every((label) => label >= 0 && label < count)).toBe(true);
      // The vectors arrive in two steps, as ingest announces them: the file is still the same bytes.
      const files = [path.join(work.dir, 'worker.hnsw'), path.join(work.dir, 'local.hnsw')];
      const arriving = new Float32Array(new SharedArrayBuffer(shared.byteLength));
      const second = createHnswBuilder(arriving, dimensions, { M: 16, efConstruction: 100 });
      arriving.set(shared.subarray(0, (count / 2) * dimensions));
      second.ready(count / 2);
      arriving.set(shared.subarray((count / 2) * dimensions), (count / 2) * dimensions);
      second.ready(count);
      await second.finish(files[0]!);
      await local.finish(files[1]!);
      const [fromWorker, fromHere] = await Promise.all(files.map((file) => readFile(file)));
      expect(fromWorker!.length).toBeGreaterThan(count * dimensions * 4);
      expect(fromWorker!.equals(fromHere!)).toBe(true);
    } finally {
      await inWorker.abort();
    }
  });

  it('exact search of many queries at once finds what one query at a time does', () => {
    const dimensions = embedder.dimensions;
    const queries = Float32Array.from(vectors.subarray(100 * dimensions, 107 * dimensions)); // 7: four at once, then three alone
    const batch = exactSearchBatch(vectors, dimensions, queries, 10);
    expect(batch).toHaveLength(7);
    batch.forEach((hits, q) => {
      expect(hits).toEqual(exactSearch(vectors, dimensions, queries.subarray(q * dimensions, (q + 1) * dimensions), 10));
      expect(hits[0]!.position).toBe(100 + q); // a stored vector is its own nearest neighbour
    });
  });

  it('an embedder failing on the sample questions costs the measurement, not the ingest, and says so', async () => {
    class FailingQueries extends LexicalEmbedder {
      override async embedQuery(): Promise<Float32Array> {
        throw new Error('embedding endpoint returned 503');
      }
    }
    const { dir, remove } = await temporaryDirectory('calibrate-failing-');
    try {
      const result = await buildIndex({ seedsDir: path.join(work.dir, 'seeds'), indexDir: path.join(dir, 'index'), embedder: new FailingQueries(256), force: true });
      expect(result.chunks).toBe(index.corpus.chunks.length);
      expect(result.manifest.hnsw.efSearch).toBe(FALLBACK_EF);
      expect(result.manifest.hnsw.calibration).toMatchObject({ recallAt10: null, problem: 'embedding endpoint returned 503' });
      const line = summaryLine(result, loadConfig({ INDEX_DIR: path.join(dir, 'index') }));
      expect(line).toContain(`efSearch could not be measured (embedding endpoint returned 503): using ${FALLBACK_EF}`);
      const reloaded = await loadForumIndex(path.join(dir, 'index'), { resolveEmbedder: async () => embedder });
      try {
        expect((await reloaded.searchVectors(await embedder.embedQuery('城市更新'), 5)).length).toBe(5);
      } finally {
        await reloaded.close();
      }
    } finally {
      await remove();
    }
  }, 60_000);
});
