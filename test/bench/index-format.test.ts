import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { KeywordIndex } from '../../src/index/bm25.js';
import { loadForumIndex } from '../../src/index/forum-index.js';
import { INDEX_FORMAT_VERSION, readManifest, sha256 } from '../../src/index/manifest.js';
import { decodeStore, storeData } from '../../src/index/store.js';
import { retrieve } from '../../src/retrieval/retrieve.js';
import { buildSeedIndex, temporaryDirectory } from '../support/seed-index.js';

const lexical = { resolveEmbedder: async () => new LexicalEmbedder() };

describe('index format 2 (store.bin, keywords.bin)', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await temporaryDirectory('index-format-')));
  afterEach(() => remove());

  it('writes the compact files and still reads a format 1 index (store.json, keywords.json)', async () => {
    const indexDir = path.join(dir, 'index');
    const built = await buildSeedIndex(indexDir);
    const manifest = (await readManifest(indexDir))!;
    expect(manifest.formatVersion).toBe(INDEX_FORMAT_VERSION);
    expect(manifest.files.store.path).toMatch(/store\.bin$/);
    expect(manifest.files.keywords.path).toMatch(/keywords\.bin$/);
    const question = '俞会根希望推动固态电池技术在哪些领域广泛应用?';
    const expected = await retrieve(built, question);

    // Rewrite it as format 1 did it, and load that.
    const generation = path.dirname(path.join(indexDir, manifest.files.store.path));
    const store = storeData(decodeStore(await readFile(path.join(indexDir, manifest.files.store.path))));
    const keywords = KeywordIndex.fromBinary(await readFile(path.join(indexDir, manifest.files.keywords.path)));
    const files = {
      store: Buffer.from(JSON.stringify({ ...store, version: 1 })),
      keywords: Buffer.from(JSON.stringify(keywords.toJSON())),
    };
    for (const [key, bytes] of Object.entries(files) as ['store' | 'keywords', Buffer][]) {
      const file = path.join(generation, `${key}.json`);
      await writeFile(file, bytes);
      manifest.files[key] = { path: path.relative(indexDir, file), sha256: sha256(bytes), bytes: bytes.length };
    }
    await writeFile(path.join(indexDir, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 1 }));
    const old = await loadForumIndex(indexDir, lexical);
    expect(old.corpus.chunks).toEqual(built.corpus.chunks);
    expect([...old.corpus.documents.values()].map((document) => document.text)).toEqual([...built.corpus.documents.values()].map((document) => document.text));
    expect(await retrieve(old, question)).toEqual(expected);
  });

  it('refuses a damaged keyword or chunk store file, saying how to rebuild', async () => {
    const indexDir = path.join(dir, 'index');
    await buildSeedIndex(indexDir);
    const manifest = (await readManifest(indexDir))!;
    for (const key of ['keywords', 'store'] as const) {
      const file = path.join(indexDir, manifest.files[key].path);
      const original = await readFile(file);
      const bytes = Buffer.from(original);
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = bytes[middle]! ^ 0xff;
      await writeFile(file, bytes);
      await expect(loadForumIndex(indexDir, lexical)).rejects.toThrow(/checksum.*npm run ingest/s);
      await writeFile(file, original);
    }
    await expect(loadForumIndex(indexDir, lexical)).resolves.toBeDefined();
  });
});
