import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { IndexError } from '../../src/errors.js';
import { buildIndex } from '../../src/index/build.js';
import { loadForumIndex } from '../../src/index/forum-index.js';
import { readManifest } from '../../src/index/manifest.js';
import { retrieve } from '../../src/retrieval/retrieve.js';
import { buildSeedIndex, copySeeds, temporaryDirectory } from '../support/seed-index.js';

const lexical = { resolveEmbedder: async () => new LexicalEmbedder() };

describe('the forum index on disk', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await temporaryDirectory()));
  afterEach(() => remove());

  it('round-trips: build, load, retrieve the passage a question is about', async () => {
    const index = await buildSeedIndex(path.join(dir, 'index'));
    expect(index.corpus.documents.size).toBe(2);
    expect(index.corpus.chunks.length).toBe(index.manifest.chunkCount);
    const [top] = await retrieve(index, '俞会根希望推动固态电池技术在哪些领域广泛应用?');
    expect(top!.text).toContain('促进该技术在汽车、储能和低空经济动力等领域广泛应用');
    const manifest = await readManifest(path.join(dir, 'index'));
    expect(manifest).toMatchObject({ formatVersion: expect.any(Number), space: 'cosine', embedder: { id: 'lexical:v1:512', dimensions: 512 } });
    expect(manifest!.documents.map((d) => d.contentHash)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it("runs one ingest at a time: a second one at once fails clearly and leaves the first one's index whole", async () => {
    const seeds = await copySeeds(path.join(dir, 'seeds'));
    const indexDir = path.join(dir, 'index');
    const build = () => buildIndex({ seedsDir: seeds, indexDir, embedder: new LexicalEmbedder(), force: true });
    const [first, second] = await Promise.allSettled([build(), build()]);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    expect(String((second as PromiseRejectedResult).reason.message)).toMatch(/Another ingest .* is updating .*nothing was changed/);
    const index = await loadForumIndex(indexDir, lexical);
    expect(index.corpus.documents.size).toBe(2);
    await index.close();
    // A lock left by a process that is gone (killed mid-ingest) does not block the next ingest.
    await writeFile(path.join(indexDir, '.ingest.lock'), '999999999');
    await expect(build()).resolves.toMatchObject({ documents: 2 });
  });

  it('refuses an index built with another embedder, naming both and the fix', async () => {
    await buildSeedIndex(path.join(dir, 'index'));
    const load = loadForumIndex(path.join(dir, 'index'), { resolveEmbedder: async () => new LexicalEmbedder(256) });
    await expect(load).rejects.toThrow(IndexError);
    await expect(load).rejects.toThrow(/lexical:v1:512.*lexical:v1:256.*npm run ingest/s);
  });

  it('refuses a manifest whose dimension was changed, before hnswlib reads the file', async () => {
    const indexDir = path.join(dir, 'index');
    await buildSeedIndex(indexDir);
    const file = path.join(indexDir, 'manifest.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    manifest.embedder.dimensions = 384;
    await writeFile(file, JSON.stringify(manifest));
    await expect(loadForumIndex(indexDir, lexical)).rejects.toThrow(/npm run ingest/);
  });

  it('gives a clear error for a corrupted vector index instead of crashing', async () => {
    const indexDir = path.join(dir, 'index');
    await buildSeedIndex(indexDir);
    const manifest = (await readManifest(indexDir))!;
    const hnswFile = path.join(indexDir, manifest.files.hnsw.path);
    const bytes = await readFile(hnswFile);
    for (let i = 100; i < bytes.length; i += 97) bytes[i] = 0xff;
    await writeFile(hnswFile, bytes);
    await expect(loadForumIndex(indexDir, lexical)).rejects.toThrow(/does not match its checksum.*npm run ingest/s);
  });

  it('says how to build an index when there is none, and when the manifest is garbage', async () => {
    await expect(loadForumIndex(path.join(dir, 'nothing'), lexical)).rejects.toThrow(/no forum index.*npm run ingest/i);
    await writeFile(path.join(dir, 'manifest.json'), '{not json');
    await expect(loadForumIndex(dir, lexical)).rejects.toThrow(/not valid JSON.*npm run ingest/s);
  });

  it('rebuilds incrementally: only changed articles are embedded, removed ones leave', async () => {
    const seedsDir = await copySeeds(path.join(dir, 'seeds'));
    const indexDir = path.join(dir, 'index');
    const embedder = new LexicalEmbedder();
    const first = await buildIndex({ seedsDir, indexDir, embedder });
    expect(first.reused).toBe(0);

    const again = await buildIndex({ seedsDir, indexDir, embedder });
    expect(again.unchanged).toBe(true);

    const file = path.join(seedsDir, '000_427e375fdec6027b.txt');
    // A paragraph added inside the report (text after the closing byline is page chrome).
    const original = await readFile(file, 'utf8');
    const paragraph = original.indexOf('\n', original.indexOf('。'));
    await writeFile(file, `${original.slice(0, paragraph)}\n另据了解,委员们还围绕城市更新提出了补充建议,这是新增的一段内容。${original.slice(paragraph)}`);
    const changed = await buildIndex({ seedsDir, indexDir, embedder });
    const untouched = first.manifest.documents.find((d) => d.id.startsWith('003'))!.chunkCount;
    expect(changed.reused).toBe(untouched);
    expect(changed.embedded).toBe(changed.chunks - untouched);

    await rm(path.join(seedsDir, '003_e28bedb5bee0dbd7.txt'));
    const removed = await buildIndex({ seedsDir, indexDir, embedder });
    expect(removed.removed).toEqual(['003_e28bedb5bee0dbd7']);
    const index = await loadForumIndex(indexDir, lexical);
    expect([...index.corpus.documents.keys()]).toEqual(['000_427e375fdec6027b']);
    expect((await retrieve(index, '城市更新补充建议'))[0]!.text).toContain('城市更新');

    const rebuilt = await buildIndex({ seedsDir, indexDir, embedder: new LexicalEmbedder(256) });
    expect(rebuilt.reused).toBe(0);
  });
});
