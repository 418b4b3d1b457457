import type { Person } from '../corpus/people.js';
import type { Chunk, ForumDocument } from '../types.js';

export const STORE_VERSION = 1;

/** A cleaned article as kept in the index: what citations, summaries and /sources need. */
export interface StoredDocument extends ForumDocument {
  contentHash: string;
  people: Person[];
}

/** Chunks are stored as spans; their text is sliced from the document on load. */
export interface StoredChunk {
  docId: string;
  ordinal: number;
  start: number;
  end: number;
}

export interface ChunkStoreData {
  version: number;
  documents: StoredDocument[];
  chunks: StoredChunk[];
}

export function chunkFromStored(stored: StoredChunk, document: StoredDocument): Chunk {
  return {
    id: `${stored.docId}#${stored.ordinal}`,
    docId: stored.docId,
    ordinal: stored.ordinal,
    start: stored.start,
    end: stored.end,
    text: document.text.slice(stored.start, stored.end),
  };
}
