import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { IndexError } from '../errors.js';
import type { LexiconSources } from '../lexicon/word-tables.js';

export const INDEX_FORMAT = 'cppcc-forum-index';
/**
 * 2: keywords.bin (compact binary BM25 index) replaces keywords.json.
 * 3: lexicon.json, the word tables computed at ingest (bilingual lexicon; from its version 2
 *    also related words, the sound table and the dictionary's English words).
 * Older indexes are still read (keywords.json is converted, the lexicon built on load) so an
 * existing index keeps working until the next ingest rewrites it.
 */
export const INDEX_FORMAT_VERSION = 3;
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];
export const MANIFEST_FILE = 'manifest.json';
const REBUILD = 'Run `npm run ingest` to rebuild it.';

export interface FileEntry {
  sha256: string;
  bytes: number;
}

export interface DocumentEntry {
  id: string;
  file: string;
  /** sha256 of the loaded article (text and metadata): unchanged hash → vectors reused. */
  contentHash: string;
  chunkCount: number;
}

export interface Manifest {
  format: typeof INDEX_FORMAT;
  formatVersion: number;
  createdAt: string;
  embedder: { id: string; dimensions: number };
  space: 'cosine';
  hnsw: {
    M: number;
    efConstruction: number;
    /** The search breadth loads use (hnswlib does not save it in the graph file). */
    efSearch: number;
    /** How efSearch was chosen at build time, when it was measured (src/index/calibrate.ts). */
    calibration?: { recallAt10: number | null; queries: number; target: number; problem?: string };
  };
  chunker: { version: number; targetChars: number; maxChars: number };
  chunkCount: number;
  documents: DocumentEntry[];
  /** Paths relative to the index folder (inside one generation folder) with their checksums; `lexicon` from format 3. */
  files: Record<'hnsw' | 'store' | 'keywords' | 'vectors', IndexFile> & { lexicon?: IndexFile };
  /** What the word tables were built from (format 3): a change rebuilds them at the next ingest. */
  lexiconSources?: LexiconSources;
}

export type IndexFile = { path: string } & FileEntry;

/**
 * sha256 of a file, read in 4 MiB pieces into one reused buffer: ~2× faster than a stream's
 * 64 KiB chunks on a 200 MB graph, and nothing the size of the file is held in memory.
 */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Reads and checks the manifest's shape; `undefined` when there is no index yet. */
export async function readManifest(indexDir: string): Promise<Manifest | undefined> {
  const file = path.join(indexDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IndexError(`Cannot read ${file}. ${REBUILD}`, { cause: error });
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (error) {
    throw new IndexError(`The index manifest ${file} is not valid JSON (corrupted?). ${REBUILD}`, { cause: error });
  }
  if (manifest?.format !== INDEX_FORMAT) throw new IndexError(`${file} is not a forum index manifest. ${REBUILD}`);
  if (!READABLE_FORMAT_VERSIONS.includes(manifest.formatVersion)) {
    throw new IndexError(`The index in ${indexDir} has format version ${manifest.formatVersion}; this version of the bot reads ${INDEX_FORMAT_VERSION}. ${REBUILD}`);
  }
  const dimensions = manifest.embedder?.dimensions;
  if (!Number.isInteger(dimensions) || dimensions <= 0 || typeof manifest.embedder?.id !== 'string') {
    throw new IndexError(`The index manifest ${file} has no valid embedder. ${REBUILD}`);
  }
  const listed = manifest.formatVersion >= 3 ? (['hnsw', 'store', 'keywords', 'vectors', 'lexicon'] as const) : (['hnsw', 'store', 'keywords', 'vectors'] as const);
  for (const key of listed) {
    const entry = manifest.files?.[key];
    if (!entry || typeof entry.path !== 'string' || typeof entry.sha256 !== 'string') {
      throw new IndexError(`The index manifest ${file} does not list its ${key} file. ${REBUILD}`);
    }
  }
  return manifest;
}

/** Checks size and sha256 before a file is handed to a parser that would trust it. */
export async function verifyFile(indexDir: string, manifest: Manifest, key: 'hnsw' | 'store' | 'keywords' | 'vectors'): Promise<string> {
  const entry = manifest.files[key];
  const file = path.join(indexDir, entry.path);
  let actual: string;
  try {
    actual = await sha256File(file);
  } catch (error) {
    throw new IndexError(`The index file ${file} is missing. ${REBUILD}`, { cause: error });
  }
  if (actual !== entry.sha256) {
    throw new IndexError(`The index file ${file} does not match its checksum in the manifest (corrupted or changed). ${REBUILD}`);
  }
  return file;
}
