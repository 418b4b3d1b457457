import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { IndexError } from '../../src/errors.js';
import { KeywordIndex } from '../../src/index/bm25.js';
import { buildIndex } from '../../src/index/build.js';
import { loadForumIndex } from '../../src/index/forum-index.js';
import { INDEX_FORMAT_VERSION, readManifest, sha256 } from '../../src/index/manifest.js';
import { decodeStore, storeData } from '../../src/index/store.js';
import { retrieve } from '../../src/retrieval/retrieve.js';
import { buildSeedIndex, REPO_SEEDS, temporaryDirectory } from '../support/seed-index.js';

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

describe('index format 3 (lexicon.json)', () => {
  // One seed index, copied for each test to change as it likes.
  let template: string;
  let removeTemplate: () => Promise<void>;
  let dir: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    const { dir: templateDir, remove } = await temporaryDirectory('index-format-');
    removeTemplate = remove;
    template = path.join(templateDir, 'index');
    await (await buildSeedIndex(template)).close();
  });
  afterAll(() => removeTemplate());
  beforeEach(async () => ({ dir, remove } = await temporaryDirectory('index-format-')));
  afterEach(() => remove());
  const copyOfIndex = async () => {
    const indexDir = path.join(dir, 'index');
    await cp(template, indexDir, { recursive: true });
    return indexDir;
  };

  it('stores the bilingual lexicon computed at ingest, and builds the same one on loading an older index', async () => {
    const indexDir = await copyOfIndex();
    const built = await loadForumIndex(indexDir, lexical);
    const manifest = (await readManifest(indexDir))!;
    expect(manifest.files.lexicon?.path).toMatch(/lexicon\.json$/);
    expect(manifest.lexiconSources?.cedict).toMatch(/^\d+\.\d+/);
    expect(built.words.lexicon.get('solid state battery')).toEqual(['固态电池']);

    // A format 2 index has no lexicon file: the loader builds it from the articles.
    const { lexicon: _file, ...files } = manifest.files;
    const { lexiconSources: _sources, ...older } = manifest;
    await writeFile(path.join(indexDir, 'manifest.json'), JSON.stringify({ ...older, formatVersion: 2, files }));
    const old = await loadForumIndex(indexDir, lexical);
    expect([...old.words.lexicon]).toEqual([...built.words.lexicon]);
    await old.close();

    // The next ingest rewrites it in the current format, though no article changed.
    const again = await buildIndex({ seedsDir: REPO_SEEDS, indexDir, embedder: new LexicalEmbedder() });
    expect(again.unchanged).toBe(false);
    expect(again.reused).toBe(again.chunks);
    expect((await readManifest(indexDir))!.formatVersion).toBe(INDEX_FORMAT_VERSION);
    expect((await buildIndex({ seedsDir: REPO_SEEDS, indexDir, embedder: new LexicalEmbedder() })).unchanged).toBe(true);
    await built.close();
  });

  it('stores the related words and the sound table computed at ingest; an index from before them gets the same ones on loading', async () => {
    const indexDir = await copyOfIndex();
    const built = await loadForumIndex(indexDir, lexical);
    // The seeds say 中试平台: its sound is in the table, as is a member's name.
    expect(built.words.sounds.get('zhong shi')).toContain('中试');
    expect(built.words.sounds.get('huang yu hong')).toEqual(['黄宇红']);
    expect(built.words.related.size).toBeGreaterThan(0);
    for (const words of built.words.related.values()) for (const word of words) expect(built.presence.holds(word)).toBe(true);
    expect(built.words.dictionaryEnglish.has('battery')).toBe(true);

    // lexicon.json version 1 held the lexicon only.
    const manifest = (await readManifest(indexDir))!;
    const older = JSON.stringify({ version: 1, entries: [...built.words.lexicon] });
    const entry = { ...manifest.files.lexicon!, sha256: sha256(older), bytes: Buffer.byteLength(older) };
    await writeFile(path.join(indexDir, entry.path), older);
    await writeFile(path.join(indexDir, 'manifest.json'), JSON.stringify({ ...manifest, files: { ...manifest.files, lexicon: entry } }));
    const old = await loadForumIndex(indexDir, lexical);
    expect([...old.words.related]).toEqual([...built.words.related]);
    expect([...old.words.sounds]).toEqual([...built.words.sounds]);
    await Promise.all([old.close(), built.close()]);
  });

  it('rebuilds the lexicon when what it is made from changed (an edited glossary)', async () => {
    const indexDir = await copyOfIndex();
    const manifest = (await readManifest(indexDir))!;
    await writeFile(path.join(indexDir, 'manifest.json'), JSON.stringify({ ...manifest, lexiconSources: { ...manifest.lexiconSources, glossary: 'an older glossary' } }));
    const again = await buildIndex({ seedsDir: REPO_SEEDS, indexDir, embedder: new LexicalEmbedder() });
    expect(again.unchanged).toBe(false);
    expect((await readManifest(indexDir))!.lexiconSources).toEqual(manifest.lexiconSources);
  });

  it('refuses a damaged lexicon file, or one of another shape, saying how to rebuild', async () => {
    const indexDir = await copyOfIndex();
    const manifest = (await readManifest(indexDir))!;
    const file = path.join(indexDir, manifest.files.lexicon!.path);
    const original = await readFile(file);
    const damaged = Buffer.from(original);
    damaged[10] = damaged[10]! ^ 0x01;
    await writeFile(file, damaged);
    await expect(loadForumIndex(indexDir, lexical)).rejects.toThrow(/lexicon\.json does not match its checksum.*npm run ingest/s);

    // Checksummed, but not a lexicon (written by another tool, or a format this code does not read).
    const other = Buffer.from('{"version":1,"entries":{"company":"公司"}}');
    await writeFile(file, other);
    await writeFile(path.join(indexDir, 'manifest.json'), JSON.stringify({ ...manifest, files: { ...manifest.files, lexicon: { ...manifest.files.lexicon!, sha256: sha256(other), bytes: other.length } } }));
    await expect(loadForumIndex(indexDir, lexical)).rejects.toThrow(IndexError);
    await expect(loadForumIndex(indexDir, lexical)).rejects.toThrow(/lexicon .*cannot be read \(no entries\).*npm run ingest/s);
  });

  it('refuses a format 3 manifest that does not list its lexicon', async () => {
    const indexDir = await copyOfIndex();
    const manifest = (await readManifest(indexDir))!;
    const { lexicon: _file, ...files } = manifest.files;
    await writeFile(path.join(indexDir, 'manifest.json'), JSON.stringify({ ...manifest, files }));
    await expect(loadForumIndex(indexDir, lexical)).rejects.toThrow(/does not list its lexicon file.*npm run ingest/s);
  });
});
