import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { buildIndex } from '../../src/index/build.js';
import { IndexHolder } from '../../src/index/holder.js';
import { buildTestIndex, loadTestIndex, SEEDS } from './helpers.js';

let directory: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ directory, cleanup } = await buildTestIndex());
}, 30_000);
afterAll(() => cleanup());

const rebuild = () => buildIndex({ seedsDir: SEEDS, indexDir: directory, embedder: new LexicalEmbedder(), force: true });

/** Polls a condition (no fixed sleeps): the watcher reacts asynchronously. */
async function until(condition: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('IndexHolder', () => {
  it('reload() swaps only when the manifest changed', async () => {
    const holder = await IndexHolder.open({ directory, load: loadTestIndex });
    const first = holder.current;
    expect(await holder.reload()).toEqual({ swapped: false, index: first });
    await rebuild();
    const [a, b] = await Promise.all([holder.reload(), holder.reload()]); // concurrent calls share one load
    expect(a.swapped).toBe(true);
    expect(b.index).toBe(a.index);
    expect(holder.current).toBe(a.index);
    expect(holder.current).not.toBe(first);
    expect(holder.generation).toBe(1);
  }, 20_000);

  it('notices `npm run ingest` by itself and swaps the new index in', async () => {
    const logs: string[] = [];
    const holder = await IndexHolder.open({ directory, load: loadTestIndex, log: (line) => logs.push(line), pollMs: 100, debounceMs: 50 }).then((h) => h.watch());
    try {
      const before = holder.current;
      await rebuild();
      await until(() => holder.generation === 1);
      expect(holder.current).not.toBe(before);
      expect(holder.current.corpus.chunks.length).toBe(before.corpus.chunks.length);
      expect(logs.some((line) => line.startsWith('Index reloaded:'))).toBe(true);
    } finally {
      holder.close();
    }
  }, 20_000);

  it('keeps serving the old index when the new one is corrupt, with a log line', async () => {
    const logs: string[] = [];
    const holder = await IndexHolder.open({ directory, load: loadTestIndex, log: (line) => logs.push(line), pollMs: 100, debounceMs: 50 }).then((h) => h.watch());
    try {
      const before = holder.current;
      // A manifest that claims a new index whose store does not match its checksum.
      const manifest = JSON.parse(await readFile(path.join(directory, 'manifest.json'), 'utf8'));
      manifest.createdAt = new Date(Date.now() + 1000).toISOString();
      manifest.files.store.sha256 = '0'.repeat(64);
      const temporary = path.join(directory, '.manifest.json.test.tmp');
      await writeFile(temporary, JSON.stringify(manifest));
      await rename(temporary, path.join(directory, 'manifest.json'));
      await until(() => logs.some((line) => line.includes('could not be loaded')));
      expect(logs.find((line) => line.includes('could not be loaded'))).toMatch(/still serving the previous one.*checksum/);
      expect(holder.current).toBe(before);
      expect(holder.generation).toBe(0);
      await expect(holder.reload()).rejects.toThrow(/checksum/);
      // A good index afterwards is picked up again.
      await rebuild();
      await until(() => holder.generation === 1);
    } finally {
      holder.close();
    }
  }, 20_000);
});
