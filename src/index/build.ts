import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { explainWriteFailure, flush, removeTemporaryManifests, writeDurably } from './durable-write.js';
import path from 'node:path';
import { CHUNKER_VERSION, DEFAULT_CHUNK_OPTIONS, chunkDocument } from '../chunking/chunk.js';
import { CLEANER_VERSION, cleanDocument } from '../corpus/clean.js';
import { loadArticles, type WebPageRead } from '../corpus/load.js';
import { MEMBERS_VERSION, extractPeople } from '../corpus/members.js';
import { withIngestLock } from './ingest-lock.js';
import type { Person } from '../corpus/people.js';
import type { Embedder } from '../embedding/embedder.js';
import { LexicalEmbedder } from '../embedding/lexical.js';
import { ForumBotError, IndexError, type ArticleFileError } from '../errors.js';
import { articleWordTables, encodeWordTables, lexiconSources, type LexiconSources } from '../lexicon/word-tables.js';
import type { Chunk, ForumDocument } from '../types.js';
import { KeywordIndex } from './bm25.js';
import { KeywordIndexBuilder } from './keyword-builder.js';
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
import { decodeStore, encodeStore, storeData, type ChunkStoreData, type StoredDocument } from './store.js';
import { calibrateEfSearch } from './calibrate.js';
import { createHnswBuilder, type HnswBuilder } from './hnsw-builder.js';
import { SharedTerms } from './terms.js';

/**
 * Chosen with `npm run bench` at 100k chunks on 2 cores (see BENCHMARKS.md): efConstruction 100
 * builds the graph in about half the time of 200 for ~2 points of recall; M 24 or 32 reach no
 * more at the same efSearch. efSearch itself is measured per index when it is built
 * (calibrate.ts: 100 at 1k chunks, 1500 at 100k with the lexical vectors); `hnsw.efSearch`
 * here or HNSW_EF_SEARCH at load time fix it instead.
 */
export const DEFAULT_HNSW = { M: 16, efConstruction: 100 };

export type HnswSettings = typeof DEFAULT_HNSW & { efSearch?: number };

export interface BuildOptions {
  seedsDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Re-embed everything even when nothing changed. */
  force?: boolean;
  /** Graph parameters; efSearch, when given, is used as it is instead of being calibrated. */
  hnsw?: Partial<HnswSettings>;
  onProgress?: (event: BuildProgress) => void;
}

export type BuildProgress =
  | { stage: 'loaded'; documents: number; problems: ArticleFileError[]; webPages: WebPageRead[] }
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
  /** Seconds per stage (load, prepare, terms+embed, hnsw, files, checksums), for benchmarks. */
  timings?: Record<string, number>;
}

/** Seeds → clean → chunk → embed → HNSW + BM25 + store, written atomically to indexDir. */
export async function buildIndex(options: BuildOptions): Promise<BuildResult> {
  return withIngestLock(options.indexDir, () => buildUnlocked(options));
}

async function buildUnlocked(options: BuildOptions): Promise<BuildResult> {
  // Under the lock no other ingest is writing: a temporary manifest here was left by a killed one.
  await removeTemporaryManifests(options.indexDir, MANIFEST_FILE);
  const started = performance.now();
  const timings: Record<string, number> = {};
  let lap = started;
  const mark = (stage: string) => {
    const now = performance.now();
    timings[stage] = (timings[stage] ?? 0) + (now - lap) / 1000;
    lap = now;
  };
  const hnswParameters: HnswSettings = { ...DEFAULT_HNSW, ...options.hnsw };
  const { embedder } = options;
  const { documents: loaded, problems, webPages } = await loadArticles(options.seedsDir);
  options.onProgress?.({ stage: 'loaded', documents: loaded.length, problems, webPages });
  if (loaded.length === 0) {
    throw new ForumBotError(`No articles could be indexed from ${options.seedsDir}: add .txt, .md or .html forum articles there.`);
  }
  assertUniqueIds(loaded);
  mark('load');

  const documents = loaded.map(prepareDocument);
  const previous = options.force ? undefined : await reusablePrevious(options.indexDir, embedder, hnswParameters);

  const chunks: Chunk[] = [];
  const reusedVectors: (Float32Array | undefined)[] = [];
  let reused = 0;
  for (const document of documents) {
    const old = previous?.byHash.get(document.contentHash);
    const documentChunks = chunkDocument(document);
    for (const [ordinal, chunk] of documentChunks.entries()) {
      const oldVector = old?.[ordinal];
      reusedVectors.push(oldVector);
      if (oldVector) reused++;
      chunks.push(chunk);
    }
  }
  const currentIds = new Set(documents.map((document) => document.id));
  const removed = previous ? previous.manifest.documents.filter((entry) => !currentIds.has(entry.id)).map((entry) => entry.id) : [];
  const toEmbed = chunks.length - reused;
  options.onProgress?.({ stage: 'chunked', chunks: chunks.length, toEmbed });
  mark('prepare');

  const sources = lexiconSources();
  if (previous && toEmbed === 0 && removed.length === 0 && previous.manifest.documents.length === documents.length && isCurrent(previous.manifest, sources)) {
    return {
      manifest: previous.manifest, documents: documents.length, chunks: chunks.length, embedded: 0, reused,
      removed, problems, unchanged: true, seconds: (performance.now() - started) / 1000, timings,
    };
  }

  const byId = new Map(documents.map((document) => [document.id, document]));
  // Vectors live in shared memory: the HNSW graph is built in a worker thread as they arrive.
  const vectors = new Float32Array(new SharedArrayBuffer(chunks.length * embedder.dimensions * 4));
  const hnsw = createHnswBuilder(vectors, embedder.dimensions, hnswParameters);
  let manifest: Manifest;
  try {
    const keywords = await termsAndVectors(embedder, chunks, reusedVectors, byId, vectors, hnsw, options.onProgress);
    reusedVectors.length = 0;
    mark('embed');
    options.onProgress?.({ stage: 'writing' });
    // The lexicon, related words and sound table of the articles (lexicon/word-tables.ts).
    const lexicon = encodeWordTables(articleWordTables(documents, keywords));
    mark('lexicon');
    manifest = await writeIndex(options.indexDir, { embedder, hnswParameters, documents, chunks, vectors, keywords, lexicon, lexiconSources: sources, hnsw }, mark);
  } catch (error) {
    await hnsw.abort();
    throw error;
  }
  return {
    manifest, documents: documents.length, chunks: chunks.length, embedded: toEmbed, reused, removed, problems,
    unchanged: false, seconds: (performance.now() - started) / 1000, timings,
  };
}

/** Whether an index needs no rewrite for its format or its lexicon (its articles are compared apart). */
function isCurrent(manifest: Manifest, sources: LexiconSources): boolean {
  return manifest.formatVersion === INDEX_FORMAT_VERSION && JSON.stringify(manifest.lexiconSources) === JSON.stringify(sources);
}

function prepareDocument(document: ForumDocument): StoredDocument {
  const cleaned = cleanDocument(document);
  const contentHash = sha256(JSON.stringify({ cleaner: CLEANER_VERSION, chunker: CHUNKER_VERSION, members: MEMBERS_VERSION, document }));
  return { ...cleaned, contentHash, people: membersOf(cleaned) };
}

/** Declared members (sidecar `people`) take precedence; otherwise they are extracted from the text. */
function membersOf(document: ForumDocument): Person[] {
  if (!document.declaredMembers) return extractPeople(document.text);
  return document.declaredMembers.map((member) => ({
    name: member.name, affiliation: member.organisation, role: member.post, sector: member.sector,
    start: Math.max(0, document.text.indexOf(member.name)),
  }));
}

function assertUniqueIds(documents: ForumDocument[]): void {
  const seen = new Map<string, string>();
  for (const document of documents) {
    const other = seen.get(document.id);
    if (other) throw new ForumBotError(`Two articles have the id "${document.id}": ${other} and ${document.file}. Rename one of them.`);
    seen.set(document.id, document.file);
  }
}

/**
 * One pass over the chunks: keyword terms into the BM25 builder and, for the lexical embedder,
 * the vector from the same tokenisation (SharedTerms: jieba reads each passage once, and an
 * article's title and session once). Vectors go straight into one flat array, the layout of
 * vectors.f32. Other embedders get their missing chunks in batches afterwards.
 */
async function termsAndVectors(
  embedder: Embedder,
  chunks: Chunk[],
  reusedVectors: (Float32Array | undefined)[],
  byId: Map<string, StoredDocument>,
  vectors: Float32Array,
  hnsw: HnswBuilder,
  onProgress: BuildOptions['onProgress'],
): Promise<KeywordIndex> {
  const { dimensions } = embedder;
  const missing: number[] = [];
  // The graph takes points in position order: tell it how far the vectors are complete.
  const filled = new Uint8Array(chunks.length);
  let complete = 0;
  const builder = new KeywordIndexBuilder();
  const shared = new SharedTerms((term) => builder.intern(term));
  const embedIds = embedder instanceof LexicalEmbedder ? embedder.idEmbedding((id) => builder.termOf(id)) : undefined;
  const total = chunks.length - reusedVectors.filter(Boolean).length;
  let done = 0;
  const put = (position: number, vector: Float32Array | undefined) => {
    if (!vector || vector.length !== dimensions) {
      throw new IndexError(`The embedder ${embedder.id} returned a vector of ${vector?.length ?? 0} dimensions, expected ${dimensions}.`);
    }
    vectors.set(vector, position * dimensions);
    filled[position] = 1;
    if (position === complete) {
      while (complete < chunks.length && filled[complete]) complete++;
      hnsw.ready(complete);
    }
  };
  for (const [position, chunk] of chunks.entries()) {
    const document = byId.get(chunk.docId)!;
    builder.addIds(shared.ids(keywordText(document, chunk)));
    const old = reusedVectors[position];
    if (old) put(position, old);
    else if (embedIds) {
      put(position, embedIds(shared.ids(contextualText(document, chunk))));
      if (++done % 512 === 0 || done === total) onProgress?.({ stage: 'embedding', done, total });
    } else missing.push(position);
  }

  const batchSize = 32;
  for (let i = 0; i < missing.length; i += batchSize) {
    const batch = missing.slice(i, i + batchSize);
    const texts = batch.map((position) => contextualText(byId.get(chunks[position]!.docId)!, chunks[position]!));
    const embedded = await embedder.embedDocuments(texts);
    batch.forEach((position, j) => put(position, embedded[j]));
    onProgress?.({ stage: 'embedding', done: Math.min(i + batchSize, missing.length), total: missing.length });
  }
  return new KeywordIndex(builder.finish());
}

interface ReusablePrevious {
  manifest: Manifest;
  /** contentHash → vectors by chunk ordinal. */
  byHash: Map<string, Float32Array[]>;
}

/** The previous index's vectors, when they were made the same way; otherwise nothing is reused. */
async function reusablePrevious(indexDir: string, embedder: Embedder, hnsw: HnswSettings): Promise<ReusablePrevious | undefined> {
  let manifest: Manifest | undefined;
  try {
    manifest = await readManifest(indexDir);
    if (!manifest) return undefined;
    if (manifest.embedder.id !== embedder.id || manifest.chunker.version !== CHUNKER_VERSION) return undefined;
    if (manifest.hnsw.M !== hnsw.M || manifest.hnsw.efConstruction !== hnsw.efConstruction) return undefined;
    const vectorFile = await verifyFile(indexDir, manifest, 'vectors');
    const storeFile = await verifyFile(indexDir, manifest, 'store');
    const storeBytes = await readFile(storeFile);
    const store: ChunkStoreData = manifest.formatVersion === 1 ? JSON.parse(storeBytes.toString('utf8')) : storeData(decodeStore(storeBytes));
    const raw = await readFile(vectorFile);
    const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    const dimensions = manifest.embedder.dimensions;
    const byHash = new Map<string, Float32Array[]>();
    const documents = new Map(store.documents.map((document) => [document.id, document]));
    store.chunks.forEach((stored, position) => {
      const document = documents.get(stored.docId)!;
      const list = byHash.get(document.contentHash) ?? [];
      list[stored.ordinal] = all.subarray(position * dimensions, (position + 1) * dimensions);
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
  hnswParameters: HnswSettings;
  documents: StoredDocument[];
  chunks: Chunk[];
  /** All vectors end to end, by chunk position. */
  vectors: Float32Array;
  keywords: KeywordIndex;
  /** lexicon.json's text: the word tables (lexicon/word-tables.ts). */
  lexicon: string;
  lexiconSources: LexiconSources;
  hnsw: HnswBuilder;
}

/**
 * Writes a new generation folder, then swaps the manifest in with one rename: a reader holding
 * the old manifest keeps reading the old generation, a new reader sees the new one, and nobody
 * sees half an index. The generation before the old one is removed.
 */
async function writeIndex(indexDir: string, contents: IndexContents, mark: (stage: string) => void): Promise<Manifest> {
  const { embedder, hnswParameters, documents, chunks, vectors } = contents;
  const { dimensions } = embedder;
  await mkdir(indexDir, { recursive: true });
  const generation = `gen-${Date.now().toString(36)}-${process.pid.toString(36)}`;
  const generationDir = path.join(indexDir, generation);
  await mkdir(generationDir);
  const temporary = path.join(indexDir, `.${MANIFEST_FILE}.${process.pid}.tmp`);
  // Once the manifest names the new generation it is the index: a later failure must not remove it.
  let committed = false;
  try {
    return await writeGeneration();
  } catch (error) {
    if (committed) throw error;
    // Nothing half-written stays behind: the folder and the temporary manifest go, the old manifest stays.
    await rm(generationDir, { recursive: true, force: true });
    await rm(temporary, { force: true });
    throw await explainWriteFailure(error, indexDir, vectors.byteLength * 3 + chunks.reduce((sum, chunk) => sum + chunk.text.length * 6, 0));
  }

  async function writeGeneration(): Promise<Manifest> {
    const hnswFile = path.join(generationDir, 'index.hnsw');
    const { efSearch: fixedEf, ...graphParameters } = hnswParameters;
    const calibration = fixedEf === undefined ? await calibrateEfSearch({ embedder, chunks, vectors, graph: contents.hnsw }) : undefined;
    mark('calibrate');
    await contents.hnsw.finish(hnswFile);
    mark('hnsw');

    // Files written from memory are hashed from memory; only the graph hnswlib wrote is read back.
    const written = async (name: string, bytes: Uint8Array | string) => {
      const file = path.join(generationDir, name);
      const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
      await writeDurably(file, data);
      return { path: path.relative(indexDir, file), sha256: sha256(data), bytes: data.byteLength };
    };
    const vectorsEntry = await written('vectors.f32', new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
    const storeEntry = await written('store.bin', encodeStore(documents, chunks));
    const keywordsEntry = await written('keywords.bin', contents.keywords.toBinary());
    const lexiconEntry = await written('lexicon.json', contents.lexicon);
    mark('files');
    await flush(hnswFile);
    const hnswEntry = { path: path.relative(indexDir, hnswFile), sha256: await sha256File(hnswFile), bytes: (await stat(hnswFile)).size };
    mark('checksums');

    const chunkCounts = new Map<string, number>();
    for (const chunk of chunks) chunkCounts.set(chunk.docId, (chunkCounts.get(chunk.docId) ?? 0) + 1);
    const manifest: Manifest = {
      format: INDEX_FORMAT,
      formatVersion: INDEX_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      embedder: { id: embedder.id, dimensions },
      space: 'cosine',
      hnsw: calibration
        ? { ...graphParameters, efSearch: calibration.efSearch, calibration: { recallAt10: calibration.recallAt10, queries: calibration.queries, target: calibration.target, ...(calibration.problem ? { problem: calibration.problem } : {}) } }
        : { ...graphParameters, efSearch: fixedEf! },
      chunker: { version: CHUNKER_VERSION, ...DEFAULT_CHUNK_OPTIONS },
      chunkCount: chunks.length,
      documents: documents.map((document) => ({
        id: document.id, file: document.file, contentHash: document.contentHash,
        chunkCount: chunkCounts.get(document.id) ?? 0,
      })),
      files: { hnsw: hnswEntry, store: storeEntry, keywords: keywordsEntry, vectors: vectorsEntry, lexicon: lexiconEntry },
      lexiconSources: contents.lexiconSources,
    };
    const previousGeneration = (await readManifest(indexDir).catch(() => undefined))?.files.hnsw.path.split(path.sep)[0];
    // The generation's names are flushed before the manifest naming them is; then the rename is.
    await flush(generationDir);
    await writeDurably(temporary, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    await rename(temporary, path.join(indexDir, MANIFEST_FILE));
    committed = true;
    await flush(indexDir);
    await removeOldGenerations(indexDir, [generation, previousGeneration]);
    mark('files');
    return manifest;
  }
}

async function removeOldGenerations(indexDir: string, keep: (string | undefined)[]): Promise<void> {
  for (const name of await readdir(indexDir)) {
    if (name.startsWith('gen-') && !keep.includes(name)) await rm(path.join(indexDir, name), { recursive: true, force: true });
  }
}
