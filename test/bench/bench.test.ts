import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../src/bench/corpus.js';
import { exactSearch, recallAtK } from '../../src/index/exact.js';
import { distribution } from '../../src/bench/measure.js';
import { createRandom } from '../../src/bench/random.js';
import { REPO_SEEDS, temporaryDirectory } from '../support/seed-index.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(path.join(dir, name), 'utf8');
  return files;
}

describe('benchmark', () => {
  it('generates the same synthetic corpus for the same seed, and another for another seed', async () => {
    const { dir, remove } = await temporaryDirectory('bench-corpus-');
    try {
      const a = await generateCorpus({ seedsDir: REPO_SEEDS, outDir: path.join(dir, 'a'), chunks: 300, seed: 7 });
      const b = await generateCorpus({ seedsDir: REPO_SEEDS, outDir: path.join(dir, 'b'), chunks: 300, seed: 7 });
      const c = await generateCorpus({ seedsDir: REPO_SEEDS, outDir: path.join(dir, 'c'), chunks: 300, seed: 8 });
      expect(a.chunks).toBeGreaterThanOrEqual(300);
      expect(a.chunks).toBeLessThan(340);
      expect({ ...a, dir: '' }).toEqual({ ...b, dir: '' });
      const files = await snapshot(a.dir);
      expect(files).toEqual(await snapshot(b.dir));
      expect(files).not.toEqual(await snapshot(c.dir));
      // Real articles: front matter with a distinct title and an ISO date.
      const titles = new Set<string>();
      for (const [name, content] of Object.entries(files)) {
        expect(name).toMatch(/^\d{6}_[0-9a-f]{16}\.txt$/);
        const front = /^---\ntitle: (.+)\ndate: (\d{4}-\d{2}-\d{2})\n/.exec(content);
        expect(front).not.toBeNull();
        titles.add(front![1]!);
      }
      expect(titles.size).toBe(Object.keys(files).length);
    } finally {
      await remove();
    }
  });

  it('finds exact neighbours and scores recall', () => {
    const random = createRandom(1);
    const dimensions = 8;
    const vectors = new Float32Array(50 * dimensions).map(() => random.next() - 0.5);
    const query = new Float32Array(dimensions).map(() => random.next() - 0.5);
    const hits = exactSearch(vectors, dimensions, query, 5);
    const dot = (p: number) => vectors.subarray(p * dimensions, (p + 1) * dimensions).reduce((sum, v, d) => sum + v * query[d]!, 0);
    const expected = Array.from({ length: 50 }, (_, p) => p).sort((a, b) => dot(b) - dot(a)).slice(0, 5);
    expect(hits.map((hit) => hit.position)).toEqual(expected);
    expect(recallAtK(hits, hits, 5, dot)).toEqual({ strict: 1, tieAware: 1 });
    expect(recallAtK(hits.slice(0, 4), hits, 5, dot).strict).toBeCloseTo(0.8);
    expect(distribution([3, 1, 2, 4]).p50).toBe(2);
  });

  it('`npm run bench -- --sizes 300 --json` prints one object with every figure', { timeout: 120_000 }, async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench.ts', '--sizes', '300', '--json', '--queries', '12', '--warmup', '2', '--bot-chats', '0'],
      { cwd: ROOT, maxBuffer: 1 << 24 },
    );
    const report = JSON.parse(stdout);
    expect(report.machine).toMatchObject({ cpus: expect.any(Number), node: process.version });
    expect(report.sizes).toHaveLength(1);
    const row = report.sizes[0];
    for (const key of [
      'chunks', 'ingest_chunks_per_s', 'build_s', 'index_mb', 'load_ms', 'retrieval_p50_ms', 'retrieval_p95_ms', 'hnsw_p50_ms',
      'exact_p50_ms', 'recall_at_10', 'ask_p50_ms', 'ask_p95_ms', 'rss_mb',
    ]) {
      expect(row[key], key).toEqual(expect.any(Number));
      expect(row[key], key).toBeGreaterThanOrEqual(0);
    }
    expect(row.chunks).toBeGreaterThanOrEqual(300);
    expect(row.recall_at_10).toBeGreaterThan(0.5);
  });
});
