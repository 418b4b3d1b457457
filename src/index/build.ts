import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { CHUNKER_VERSION, DEFAULT_CHUNK_OPTIONS, chunkDocument } from '../chunking/chunk.js';
import { CLEANER_VERSION, cleanDocument } from '../corpus/clean.js';
import { loadArticles } from '../corpus/load.js';
import { extractPeople } from '../corpus/people.js';
import type { Embedder } from '../embedding/embedder.js';
import { LexicalEmbedder } from '../embedding/lexical.js';
import { ForumBotError, IndexError, type ArticleFileError } from '../errors.js';
import { searchTerms } from '../text/tokenize.js';
import type { Chunk, ForumDocument } from '../types.js';
import { KeywordIndex } from './bm25.js';
import { contextualText, keywordText } from './context.js';
import {
  INDEX_FORMAT,
  INDEX_FORMAT_VERSION,
  MANIFEST_FILE,
  readManifest,
  sha256,
  sha256File,
  verifyFile,
  type Manifest,
} from './manifest.js';
import { STORE_VERSION, type ChunkStoreData, type StoredDocument } from './store.js';

export const DEFAULT_HNSW = { M: 16, efConstruction: 200, efSearch: 96 };

export interface BuildOptions {
  seedsDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Re-embed everything even when nothing changed. */
  force?: boolean;
  hnsw?: Partial<typeof DEFAULT_HNSW>;
  onProgress?: (event: BuildProgress) => void;
}

export type BuildProgress =
  | { stage: 'loaded'; documents: number; problems: ArticleFileError[] }
  | { stage: 'chunked'; chunks: number; toEmbed: number }
  | { stage: 'embedding'; done: number; total: number }
  | { stage: 'writing' };

export interface BuildResult {
  manifest: Manifest;
  documents: number;
  chunks: number;
  embedded: number;
  reused: number;
  removed: string[];
  problems: ArticleFileError[];
  /** True when nothing changed and the existing index was kept as it is. */
  unchanged: boolean;
  seconds: number;
}

/** Seeds → clean → chunk → embed → HNSW + BM25 + store, written atomically to indexDir. */
export async function buildIndex(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const hnswParameters = { ...DEFAULT_HNSW, ...options.hnsw };
  const { embedder } = options;
  const { documents: loaded, problems } = await loadArticles(options.seedsDir);
  options.onProgress?.({ stage: 'loaded', documents: loaded.length, problems });
  if (loaded.length === 0) {
    throw new ForumBotError(`No articles could be indexed from ${options.seedsDir}: add .txt or .md forum articles there.`);
  }
  assertUniqueIds(loaded);

  const documents = loaded.map(prepareDocument);
  const previous = options.force ? undefined : await reusablePrevious(options.indexDir, embedder, hnswParameters);

  const chunks: Chunk[] = [];
  const vectors: (Float32Array | undefined)[] = [];
  let reused = 0;
  for (const document of documents) {
    const old = previous?.byHash.get(document.contentHash);
    const documentChunks = chunkDocument(document);
    for (const [ordinal, chunk] of documentChunks.entries()) {
      const oldVector = old?.[ordinal];
      vectors.push(oldVector);
      if (oldVector) reused++;
      chunks.push(chunk);
    }
  }
  const removed = previous ? previous.manifest.documents.filter((entry) => !documents.some((d) => d.id === entry.id)).map((entry) => entry.id) : [];
  const toEmbed = chunks.length - reused;
  options.onProgress?.({ stage: 'chunked', chunks: chunks.length, toEmbed });

  if (previous && toEmbed === 0 && removed.length === 0 && previous.manifest.documents.length === documents.length) {
    return {
      manifest: previous.manifest, documents: documents.length, chunks: chunks.length, embedded: 0, reused,
      removed, problems, unchanged: true, seconds: (performance.now() - started) / 1000,
    };
  }

  const byId = new Map(documents.map((document) => [document.id, document]));
  const keywordTerms = chunks.map((chunk) => searchTerms(keywordText(byId.get(chunk.docId)!, chunk)));
  await embedMissing(embedder, chunks, vectors, byId, options.onProgress);

  options.onProgress?.({ stage: 'writing' });
  const manifest = await writeIndex(options.indexDir, {
    embedder, hnswParameters, documents, chunks, vectors: vectors as Float32Array[],
    keywords: KeywordIndex.build(keywordTerms),
  });
  return {
    manifest, documents: documents.length, chunks: chunks.length, embedded: toEmbed, reused, removed, problems,
    unchanged: false, seconds: (performance.now() - started) / 1000,
  };
}

function prepareDocument(document: ForumDocument): StoredDocument {
  const cleaned = cleanDocument(document);
  const contentHash = sha256(JSON.stringify({ cleaner: CLEANER_VERSION, chunker: CHUNKER_VERSION, document }));
  return { ...cleaned, contentHash, people: extractPeople(cleaned.text) };
}

function assertUniqueIds(documents: ForumDocument[]): void {
  const seen = new Map<string, string>();
  for (const document of documents) {
    const other = seen.get(document.id);
    if (other) throw new ForumBotError(`Two articles have the id "${document.id}": ${other} and ${document.file}. Rename one of them.`);
    seen.set(document.id, document.file);
  }
}

async function embedMissing(
  embedder: Embedder,
  chunks: Chunk[],
  vectors: (Float32Array | undefined)[],
  byId: Map<string, StoredDocument>,
  onProgress: BuildOptions['onProgress'],
): Promise<void> {
  const missing = chunks.map((_, position) => position).filter((position) => !vectors[position]);
  const batchSize = embedder instanceof LexicalEmbedder ? 512 : 32;
  for (let i = 0; i < missing.length; i += batchSize) {
    const batch = missing.slice(i, i + batchSize);
    const texts = batch.map((position) => contextualText(byId.get(chunks[position]!.docId)!, chunks[position]!));
    const embedded = await embedder.embedDocuments(texts);
    batch.forEach((position, j) => {
      const vector = embedded[j];
      if (!vector || vector.length !== embedder.dimensions) {
        throw new IndexError(`The embedder ${embedder.id} returned a vector of ${vector?.length ?? 0} dimensions, expected ${embedder.dimensions}.`);
      }
      vectors[position] = vector;
    });
    onProgress?.({ stage: 'embedding', done: Math.min(i + batchSize, missing.length), total: missing.length });
  }
}

interface ReusablePrevious {
  manifest: Manifest;
  /** contentHash → vectors by chunk ordinal. */
  byHash: Map<string, Float32Array[]>;
}

/** The previous index's vectors, when they were made the same way; otherwise nothing is reused. */
async function reusablePrevious(indexDir: string, embedder: Embedder, hnsw: typeof DEFAULT_HNSW): Promise<ReusablePrevious | undefined> {
  let manifest: Manifest | undefined;
  try {
    manifest = await readManifest(indexDir);
    if (!manifest) return undefined;
    if (manifest.embedder.id !== embedder.id || manifest.chunker.version !== CHUNKER_VERSION) return undefined;
    if (manifest.hnsw.M !== hnsw.M || manifest.hnsw.efConstruction !== hnsw.efConstruction) return undefined;
    const vectorFile = await verifyFile(indexDir, manifest, 'vectors');
    const storeFile = await verifyFile(indexDir, manifest, 'store');
    const store = JSON.parse(await readFile(storeFile, 'utf8')) as ChunkStoreData;
    const raw = await readFile(vectorFile);
    const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    const dimensions = manifest.embedder.dimensions;
    const byHash = new Map<string, Float32Array[]>();
    const documents = new Map(store.documents.map((document) => [document.id, document]));
    store.chunks.forEach((stored, position) => {
      const document = documents.get(stored.docId)!;
      const list = byHash.get(document.contentHash) ?? [];
      list[stored.ordinal] = all.slice(position * dimensions, (position + 1) * dimensions);
      byHash.set(document.contentHash, list);
    });
    return { manifest, byHash };
  } catch {
    // A damaged previous index is simply rebuilt from scratch.
    return undefined;
  }
}

interface IndexContents {
  embedder: Embedder;
  hnswParameters: typeof DEFAULT_HNSW;
  documents: StoredDocument[];
  chunks: Chunk[];
  vectors: Float32Array[];
  keywords: KeywordIndex;
}

/**
 * Writes a new generation folder, then swaps the manifest in with one rename: a reader holding
 * the old manifest keeps reading the old generation, a new reader sees the new one, and nobody
 * sees half an index. The generation before the old one is removed.
 */
async function writeIndex(indexDir: string, contents: IndexContents): Promise<Manifest> {
  const { embedder, hnswParameters, documents, chunks, vectors } = contents;
  await mkdir(indexDir, { recursive: true });
  const generation = `gen-${Date.now().toString(36)}-${process.pid.toString(36)}`;
  const generationDir = path.join(indexDir, generation);
  await mkdir(generationDir);

  const hnsw = new hnswlib.HierarchicalNSW('cosine', embedder.dimensions);
  hnsw.initIndex(Math.max(chunks.length, 1), hnswParameters.M, hnswParameters.efConstruction, 100);
  vectors.forEach((vector, position) => hnsw.addPoint(Array.from(vector), position));
  const hnswFile = path.join(generationDir, 'index.hnsw');
  await hnsw.writeIndex(hnswFile);

  const vectorBytes = new Uint8Array(chunks.length * embedder.dimensions * 4);
  const flat = new Float32Array(vectorBytes.buffer);
  vectors.forEach((vector, position) => flat.set(vector, position * embedder.dimensions));
  const vectorFile = path.join(generationDir, 'vectors.f32');
  await writeFile(vectorFile, vectorBytes);

  const store: ChunkStoreData = {
    version: STORE_VERSION,
    documents,
    chunks: chunks.map(({ docId, ordinal, start, end }) => ({ docId, ordinal, start, end })),
  };
  const storeFile = path.join(generationDir, 'store.json');
  await writeFile(storeFile, JSON.stringify(store));
  const keywordFile = path.join(generationDir, 'keywords.json');
  await writeFile(keywordFile, JSON.stringify(contents.keywords.toJSON()));

  const entry = async (file: string) => ({ path: path.relative(indexDir, file), sha256: await sha256File(file), bytes: (await stat(file)).size });
  const manifest: Manifest = {
    format: INDEX_FORMAT,
    formatVersion: INDEX_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    embedder: { id: embedder.id, dimensions: embedder.dimensions },
    space: 'cosine',
    hnsw: hnswParameters,
    chunker: { version: CHUNKER_VERSION, ...DEFAULT_CHUNK_OPTIONS },
    chunkCount: chunks.length,
    documents: documents.map((document) => ({
      id: document.id, file: document.file, contentHash: document.contentHash,
      chunkCount: chunks.filter((chunk) => chunk.docId === document.id).length,
    })),
    files: {
      hnsw: await entry(hnswFile),
      store: await entry(storeFile),
      keywords: await entry(keywordFile),
      vectors: await entry(vectorFile),
    },
  };
  const previousGeneration = (await readManifest(indexDir).catch(() => undefined))?.files.hnsw.path.split(path.sep)[0];
  const temporary = path.join(indexDir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temporary, path.join(indexDir, MANIFEST_FILE));
  await removeOldGenerations(indexDir, [generation, previousGeneration]);
  return manifest;
}

async function removeOldGenerations(indexDir: string, keep: (string | undefined)[]): Promise<void> {
  for (const name of await readdir(indexDir)) {
    if (name.startsWith('gen-') && !keep.includes(name)) await rm(path.join(indexDir, name), { recursive: true, force: true });
  }
}
