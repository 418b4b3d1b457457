import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Embedder } from '../embedding/embedder.js';
import { IndexError } from '../errors.js';
import { completeWordTables, decodeWordTables } from '../lexicon/word-tables.js';
import type { Chunk } from '../types.js';
import { KeywordIndex, type KeywordIndexData } from './bm25.js';
import { readManifest, sha256, verifyFile, type IndexFile, type Manifest } from './manifest.js';
import { Presence } from './presence.js';
import { chunkFromStored, decodeStore, type ChunkStoreData, type CompactStore, type StoredDocument } from './store.js';
import { VectorWorker } from './vector-worker.js';
import { Corpus } from './corpus.js';
import type { ArticleIndex } from './article-index.js';

const REBUILD = 'Run `npm run ingest` to rebuild it.';

/** A loaded, verified index: the articles and their tables, and vector search. Immutable once loaded. */
export interface ForumIndex extends ArticleIndex {
  readonly directory: string;
  readonly manifest: Manifest;
  readonly embedder: Embedder;
  /**
   * HNSW nearest neighbours, searched in the index's worker thread: start it, do other work
   * (BM25), then await it. Rejects with an IndexError once the index is closed or its thread died.
   */
  /** The k nearest chunks to the vector; with `scope`, only chunks whose position's byte is 1 (filtered inside the HNSW search). */
  searchVectors(vector: Float32Array, k: number, scope?: Uint8Array): Promise<{ position: number; similarity: number }[]>;
  /**
   * Refuses new vector searches and ends the search thread once those in flight have answered
   * (the holder calls it for an index that was swapped out). Everything else keeps working.
   */
  close(): Promise<void>;
}

export interface LoadIndexOptions {
  /** Turns the manifest's embedder id into an embedder (the query side must match ingest). */
  resolveEmbedder: (manifest: Manifest) => Promise<Embedder>;
  /** HNSW search breadth; hnswlib does not save it with the index, so it is set on every load. */
  efSearch?: number;
}

/**
 * Reads the manifest, verifies every file's checksum, and only then lets hnswlib read the
 * graph: hnswlib trusts its input (another dimension reads "fine" and answers wrongly; a
 * damaged body can crash the process). hnswlib runs in a worker thread that owns the graph
 * (src/index/vector-worker.ts); it starts while the files are hashed, reads the graph while
 * the store and keywords are decoded here, and is ended if anything fails.
 */
export async function loadForumIndex(directory: string, options: LoadIndexOptions): Promise<ForumIndex> {
  const manifest = await readManifest(directory);
  if (!manifest) throw new IndexError(`There is no forum index in ${directory}. Run \`npm run ingest\` to build it.`);
  const vectors = new VectorWorker(directory);
  try {
    // The graph is hashed as it streams (hnswlib reads the file itself, once verified); the store
    // and keyword files are read once and hashed from memory, not read twice.
    const [hnswFile, storeBytes, keywordBytes, lexiconBytes] = await Promise.all([
      verifyFile(directory, manifest, 'hnsw'),
      readVerified(directory, manifest.files.store),
      readVerified(directory, manifest.files.keywords),
      manifest.files.lexicon ? readVerified(directory, manifest.files.lexicon) : undefined,
    ]);
    // Every file is verified: only now may hnswlib read the graph. hnswlib does not save ef.
    const graphRead = vectors.load(hnswFile, manifest.embedder.dimensions, Math.max(options.efSearch ?? manifest.hnsw.efSearch, 10));
    graphRead.catch(() => undefined); // awaited below; a failure before that must not go unhandled
    const storeFile = path.join(directory, manifest.files.store.path);
    const keywordFile = path.join(directory, manifest.files.keywords.path);

    const { documents, chunks } = loadStore(manifest, storeBytes, storeFile);
    const keywords = loadKeywords(manifest, keywordBytes, keywordFile);
    if (keywords.size !== chunks.length) throw new IndexError(`The keyword index does not match the chunk store. ${REBUILD}`);
    // An index older than format 3 has no lexicon file, and one older than the word tables only
    // the lexicon: what is missing is built from its articles, as ingest builds it.
    const found = lexiconBytes ? loadWordTables(lexiconBytes, path.join(directory, manifest.files.lexicon!.path)) : undefined;
    const words = completeWordTables(found, [...documents.values()], keywords);

    const embedder = await options.resolveEmbedder(manifest);
    if (embedder.id !== manifest.embedder.id || embedder.dimensions !== manifest.embedder.dimensions) {
      throw new IndexError(
        `The index in ${directory} was built with ${manifest.embedder.id} (${manifest.embedder.dimensions} dimensions) but the configured embedder is ${embedder.id} (${embedder.dimensions}). ${REBUILD}`,
      );
    }

    let count: number;
    try {
      count = await graphRead;
    } catch (error) {
      throw new IndexError(`Cannot read the vector index ${hnswFile} (${(error as Error).message}). ${REBUILD}`, { cause: error });
    }
    if (count !== chunks.length) {
      throw new IndexError(`The vector index holds ${count} vectors but the manifest says ${chunks.length}. ${REBUILD}`);
    }

    return {
      directory,
      manifest,
      corpus: new Corpus(documents.values(), chunks),
      keywords,
      words,
      presence: new Presence(documents.values(), chunks, keywords),
      embedder,
      async searchVectors(vector, k, scope) {
        const wanted = Math.min(k, chunks.length);
        if (wanted === 0) return [];
        const { neighbors, distances } = await vectors.search(vector, wanted, scope);
        const hits = new Array<{ position: number; similarity: number }>(neighbors.length);
        for (let i = 0; i < neighbors.length; i++) hits[i] = { position: neighbors[i]!, similarity: 1 - distances[i]! };
        return hits;
      },
      close: () => vectors.close(),
    };
  } catch (error) {
    await vectors.terminate();
    throw error;
  }
}

/** Reads an index file and checks its size and sha256 against the manifest before anything parses it. */
async function readVerified(directory: string, entry: IndexFile): Promise<Buffer> {
  const file = path.join(directory, entry.path);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new IndexError(`The index file ${file} is missing. ${REBUILD}`, { cause: error });
  }
  if ((entry.bytes !== undefined && bytes.byteLength !== entry.bytes) || sha256(bytes) !== entry.sha256) {
    throw new IndexError(`The index file ${file} does not match its checksum in the manifest (corrupted or changed). ${REBUILD}`);
  }
  return bytes;
}

/** store.bin (format 2), or the store.json of a format 1 index: the documents and the chunks by position. */
function loadStore(manifest: Manifest, bytes: Buffer, file: string): { documents: Map<string, StoredDocument>; chunks: Chunk[] } {
  if (manifest.formatVersion === 1) {
    const store = parseJson<ChunkStoreData>(bytes.toString('utf8'), file);
    if (store.version !== 1) throw new IndexError(`The chunk store ${file} has version ${store.version}, expected 1. ${REBUILD}`);
    checkChunkCount(store.chunks.length, manifest);
    const documents = new Map(store.documents.map((document) => [document.id, document]));
    const chunks = store.chunks.map((stored) => {
      const document = documents.get(stored.docId);
      if (!document) throw new IndexError(`The chunk store refers to an unknown article ${stored.docId}. ${REBUILD}`);
      return chunkFromStored(stored, document);
    });
    return { documents, chunks };
  }
  let store: CompactStore;
  try {
    store = decodeStore(bytes);
  } catch (error) {
    throw new IndexError(`The chunk store ${file} cannot be read (${(error as Error).message}). ${REBUILD}`, { cause: error });
  }
  const table = store.chunkTable;
  checkChunkCount(table.length / 4, manifest);
  const chunks: Chunk[] = new Array(table.length / 4);
  for (let i = 0, t = 0; t < table.length; i++, t += 4) {
    const document = store.documents[table[t]!]!;
    const ordinal = table[t + 1]!;
    const start = table[t + 2]!;
    const end = table[t + 3]!;
    chunks[i] = { id: `${document.id}#${ordinal}`, docId: document.id, ordinal, start, end, text: document.text.slice(start, end) };
  }
  return { documents: new Map(store.documents.map((document) => [document.id, document])), chunks };
}

function checkChunkCount(count: number, manifest: Manifest): void {
  if (count !== manifest.chunkCount) {
    throw new IndexError(`The chunk store holds ${count} chunks but the manifest says ${manifest.chunkCount}. ${REBUILD}`);
  }
}

/** keywords.bin (format 2), or the keywords.json of a format 1 index. */
function loadKeywords(manifest: Manifest, bytes: Buffer, file: string): KeywordIndex {
  if (manifest.formatVersion === 1) return new KeywordIndex(parseJson<KeywordIndexData>(bytes.toString('utf8'), file));
  try {
    return KeywordIndex.fromBinary(bytes);
  } catch (error) {
    throw new IndexError(`The keyword index ${file} cannot be read (${(error as Error).message}). ${REBUILD}`, { cause: error });
  }
}

function loadWordTables(bytes: Buffer, file: string): ReturnType<typeof decodeWordTables> {
  try {
    return decodeWordTables(bytes.toString('utf8'));
  } catch (error) {
    throw new IndexError(`The lexicon ${file} cannot be read (${(error as Error).message}). ${REBUILD}`, { cause: error });
  }
}

function parseJson<T>(text: string, file: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new IndexError(`The index file ${file} is not valid JSON. ${REBUILD}`, { cause: error });
  }
}
