import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { IndexError } from '../../src/errors.js';
import { buildIndex } from '../../src/index/build.js';
import { loadForumIndex, type ForumIndex } from '../../src/index/forum-index.js';
import { IndexHolder } from '../../src/index/holder.js';
import { readManifest } from '../../src/index/manifest.js';
import { VectorWorker } from '../../src/index/vector-worker.js';
import { retrieve } from '../../src/retrieval/retrieve.js';
import { buildSeedIndex, REPO_SEEDS, temporaryDirectory } from '../support/seed-index.js';

const lexical = { resolveEmbedder: async () => new LexicalEmbedder() };

const QUESTIONS = [
  '黄宇红建议把哪个平台升级为国家级中试平台?',
  '俞会根希望推动固态电池技术在哪些领域广泛应用?',
  '委员们如何谈首都经济高质量发展?',
  '人工智能',
  '6G+AI融合开放',
  '城市更新',
];

describe('vector search in a worker thread', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let indexDir: string;
  beforeAll(async () => {
    ({ dir, remove } = await temporaryDirectory());
    indexDir = path.join(dir, 'index');
    await buildSeedIndex(indexDir).then((index) => index.close());
  }, 30_000);
  afterAll(() => remove());

  it('answers concurrent searches each with its own neighbours', async () => {
    const index = await loadForumIndex(indexDir, lexical);
    try {
      const vectors = await Promise.all(QUESTIONS.map((question) => index.embedder.embedQuery(question)));
      const one = async (vector: Float32Array, k: number) => index.searchVectors(vector, k);
      const alone: Awaited<ReturnType<typeof one>>[] = [];
      for (const [i, vector] of vectors.entries()) alone.push(await one(vector, 3 + i));
      // All at once, several rounds deep, in a different order: every reply goes to its own query.
      const order = [...vectors.keys()].reverse();
      const together = await Promise.all([0, 1, 2].flatMap(() => order.map((i) => one(vectors[i]!, 3 + i))));
      together.forEach((hits, n) => expect(hits).toEqual(alone[order[n % order.length]!]));
      expect(new Set(alone.map((hits) => hits[0]!.position)).size).toBeGreaterThan(1); // the queries differ
      expect(alone[0]).toHaveLength(3);
      expect(alone[0]![0]!.similarity).toBeGreaterThan(alone[0]![2]!.similarity);
      expect(await index.searchVectors(vectors[0]!, 10_000)).toHaveLength(index.corpus.chunks.length);
    } finally {
      await index.close();
    }
  });

  it('filters inside the search: a scope of a few chunks still gets k hits, all in scope', async () => {
    const index = await loadForumIndex(indexDir, lexical);
    try {
      const vector = await index.embedder.embedQuery(QUESTIONS[2]!);
      // Every fifth chunk: a narrow scope, like the year one article of many is dated in.
      const scope = new Uint8Array(index.corpus.chunks.length).map((_, position) => (position % 5 === 0 ? 1 : 0));
      const allowed = scope.reduce((sum, byte) => sum + byte, 0);
      const hits = await index.searchVectors(vector, Math.min(8, allowed), scope);
      expect(hits).toHaveLength(Math.min(8, allowed));
      for (const hit of hits) expect(hit.position % 5).toBe(0);
      const unfiltered = await index.searchVectors(vector, 8);
      expect(unfiltered.some((hit) => hit.position % 5 !== 0)).toBe(true);
    } finally {
      await index.close();
    }
  });

  it('lets searches in flight finish on close(), then rejects later ones clearly', async () => {
    const index = await loadForumIndex(indexDir, lexical);
    const vector = await index.embedder.embedQuery(QUESTIONS[0]!);
    const inFlight = [index.searchVectors(vector, 5), index.searchVectors(vector, 2)];
    const closed = index.close();
    expect(index.close()).toBe(closed);
    expect((await Promise.all(inFlight)).map((hits) => hits.length)).toEqual([5, 2]);
    await closed;
    await expect(index.searchVectors(vector, 5)).rejects.toThrow(IndexError);
    await expect(index.searchVectors(vector, 5)).rejects.toThrow(/index in .* was closed/);
    await expect(retrieve(index, QUESTIONS[0]!)).rejects.toThrow(/was closed/);
    // Everything but vector search still works.
    expect(index.keywords.search(['平台'], 3).length).toBeGreaterThan(0);
  });

  it('rejects searches in flight and later ones when the thread dies, instead of hanging', async () => {
    const worker = new VectorWorker(indexDir);
    const manifest = (await readManifest(indexDir))!;
    expect(await worker.load(path.join(indexDir, manifest.files.hnsw.path), 512, 50)).toBe(manifest.chunkCount);
    const vector = await new LexicalEmbedder().embedQuery(QUESTIONS[0]!);
    const pending = worker.search(vector, 3);
    // The thread going away without close() (a crash, an out-of-memory kill of the thread).
    void (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(pending).rejects.toThrow(/vector search thread .* exited/);
    await expect(worker.search(vector, 3)).rejects.toThrow(/vector search thread .* exited .*until the process restarts/);
    await worker.close();
  });

  it('turns a hnswlib error in the thread into a rejected IndexError', async () => {
    const worker = new VectorWorker(indexDir);
    try {
      await expect(worker.load(path.join(dir, 'no-such-graph.hnsw'), 512, 50)).rejects.toThrow(IndexError);
      const manifest = (await readManifest(indexDir))!;
      await worker.load(path.join(indexDir, manifest.files.hnsw.path), 512, 50);
      await expect(worker.search(new Float32Array(7), 3)).rejects.toThrow(/7 dimensions, the index 512/);
      expect((await worker.search(await new LexicalEmbedder().embedQuery('平台'), 2)).neighbors).toHaveLength(2);
    } finally {
      await worker.close();
    }
  });

  it('refuses a damaged graph file before hnswlib is asked to read it', async () => {
    const { dir: copy, remove: removeCopy } = await temporaryDirectory();
    const load = vi.spyOn(VectorWorker.prototype, 'load');
    const terminate = vi.spyOn(VectorWorker.prototype, 'terminate');
    try {
      await buildIndex({ seedsDir: REPO_SEEDS, indexDir: copy, embedder: new LexicalEmbedder() });
      const manifest = (await readManifest(copy))!;
      const graph = path.join(copy, manifest.files.hnsw.path);
      const bytes = await readFile(graph);
      for (let i = 100; i < bytes.length; i += 97) bytes[i] = 0xff; // same size, damaged body
      await writeFile(graph, bytes);
      await expect(loadForumIndex(copy, lexical)).rejects.toThrow(/does not match its checksum.*npm run ingest/s);
      expect(load).not.toHaveBeenCalled();
      expect(terminate).toHaveBeenCalledTimes(1); // the thread started for it is ended
    } finally {
      load.mockRestore();
      terminate.mockRestore();
      await removeCopy();
    }
  });

  it('closes a swapped-out index in the holder once it is retired, and serves from the new one', async () => {
    const loaded: ForumIndex[] = [];
    const holder = await IndexHolder.open({ directory: indexDir, retireMs: 0, load: async (directory) => loaded[loaded.push(await loadForumIndex(directory, lexical)) - 1]! });
    try {
      const old = holder.current;
      const vector = await old.embedder.embedQuery(QUESTIONS[0]!);
      const expected = await old.searchVectors(vector, 5);
      const inFlight = old.searchVectors(vector, 5);
      await buildIndex({ seedsDir: REPO_SEEDS, indexDir, embedder: new LexicalEmbedder(), force: true });
      expect((await holder.reload()).swapped).toBe(true);
      expect(await inFlight).toEqual(expected); // a search already under way gets its answer
      await vi.waitFor(() => expect(old.searchVectors(vector, 5)).rejects.toThrow(/was closed/));
      expect(await holder.current.searchVectors(vector, 5)).toEqual(expected);
    } finally {
      holder.close();
      await Promise.all(loaded.map((index) => index.close()));
    }
  }, 20_000);

  it('never keeps a process alive, and keeps it alive while a search is awaited', async () => {
    // Top-level awaits only: if the idle thread held the process it would not exit; if a search in
    // flight, or a thread being ended, did not, Node would exit early (code 13, unsettled
    // top-level await) without printing. --input-type=module reaches the thread's bootstrap too (from source it must run as an ES module then).
    const script = `
      import { loadForumIndex } from ${JSON.stringify(path.resolve('src/index/forum-index.ts'))};
      import { LexicalEmbedder } from ${JSON.stringify(path.resolve('src/embedding/lexical.ts'))};
      const refused = await loadForumIndex(${JSON.stringify(indexDir)}, { resolveEmbedder: async () => new LexicalEmbedder(256) }).catch((error) => error);
      console.log('refused', refused.name);
      const index = await loadForumIndex(${JSON.stringify(indexDir)}, { resolveEmbedder: async () => new LexicalEmbedder() });
      const hits = await index.searchVectors(await index.embedder.embedQuery('平台'), 3);
      console.log('hits', hits.length);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).toContain('refused IndexError\nhits 3');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 20_000);
});
