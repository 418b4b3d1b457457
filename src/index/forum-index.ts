import { readFile } from 'node:fs/promises';
import hnswlib from 'hnswlib-node';
import type { Embedder } from '../embedding/embedder.js';
import { IndexError } from '../errors.js';
import type { Chunk } from '../types.js';
import { KeywordIndex, type KeywordIndexData } from './bm25.js';
import { readManifest, verifyFile, type Manifest } from './manifest.js';
import { STORE_VERSION, chunkFromStored, type ChunkStoreData, type StoredDocument } from './store.js';

const REBUILD = 'Run `npm run ingest` to rebuild it.';

/** A loaded, verified index: everything retrieval and answering read. Immutable once loaded. */
export interface ForumIndex {
  readonly directory: string;
  readonly manifest: Manifest;
  readonly documents: ReadonlyMap<string, StoredDocument>;
  /** By position: position = HNSW label = keyword-index position. */
  readonly chunks: readonly Chunk[];
  readonly keywords: KeywordIndex;
  readonly embedder: Embedder;
  searchVectors(vector: Float32Array, k: number): { position: number; similarity: number }[];
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
 * damaged body can crash the process).
 */
export async function loadForumIndex(directory: string, options: LoadIndexOptions): Promise<ForumIndex> {
  const manifest = await readManifest(directory);
  if (!manifest) throw new IndexError(`There is no forum index in ${directory}. Run \`npm run ingest\` to build it.`);
  const [hnswFile, storeFile, keywordFile] = await Promise.all([
    verifyFile(directory, manifest, 'hnsw'),
    verifyFile(directory, manifest, 'store'),
    verifyFile(directory, manifest, 'keywords'),
  ]);

  const store = parseJson<ChunkStoreData>(await readFile(storeFile, 'utf8'), storeFile);
  if (store.version !== STORE_VERSION) throw new IndexError(`The chunk store ${storeFile} has version ${store.version}, expected ${STORE_VERSION}. ${REBUILD}`);
  if (store.chunks.length !== manifest.chunkCount) {
    throw new IndexError(`The chunk store holds ${store.chunks.length} chunks but the manifest says ${manifest.chunkCount}. ${REBUILD}`);
  }
  const documents = new Map(store.documents.map((document) => [document.id, document]));
  const chunks = store.chunks.map((stored) => {
    const document = documents.get(stored.docId);
    if (!document) throw new IndexError(`The chunk store refers to an unknown article ${stored.docId}. ${REBUILD}`);
    return chunkFromStored(stored, document);
  });
  const keywords = new KeywordIndex(parseJson<KeywordIndexData>(await readFile(keywordFile, 'utf8'), keywordFile));
  if (keywords.size !== chunks.length) throw new IndexError(`The keyword index does not match the chunk store. ${REBUILD}`);

  const embedder = await options.resolveEmbedder(manifest);
  if (embedder.id !== manifest.embedder.id || embedder.dimensions !== manifest.embedder.dimensions) {
    throw new IndexError(
      `The index in ${directory} was built with ${manifest.embedder.id} (${manifest.embedder.dimensions} dimensions) but the configured embedder is ${embedder.id} (${embedder.dimensions}). ${REBUILD}`,
    );
  }

  const hnsw = new hnswlib.HierarchicalNSW('cosine', manifest.embedder.dimensions);
  try {
    await hnsw.readIndex(hnswFile);
  } catch (error) {
    throw new IndexError(`Cannot read the vector index ${hnswFile}. ${REBUILD}`, { cause: error });
  }
  if (hnsw.getCurrentCount() !== chunks.length) {
    throw new IndexError(`The vector index holds ${hnsw.getCurrentCount()} vectors but the manifest says ${chunks.length}. ${REBUILD}`);
  }
  hnsw.setEf(Math.max(options.efSearch ?? manifest.hnsw.efSearch, 10));

  return {
    directory,
    manifest,
    documents,
    chunks,
    keywords,
    embedder,
    searchVectors(vector, k) {
      const count = Math.min(k, chunks.length);
      if (count === 0) return [];
      const result = hnsw.searchKnn(Array.from(vector), count);
      return result.neighbors.map((position, i) => ({ position, similarity: 1 - result.distances[i]! }));
    },
  };
}

function parseJson<T>(text: string, file: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new IndexError(`The index file ${file} is not valid JSON. ${REBUILD}`, { cause: error });
  }
}
