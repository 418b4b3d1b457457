import type { StoredDocument } from '../index/store.js';
import type { Chunk, Citation } from '../types.js';

/** The citation of a passage: what `ask --json`, the bot and summaries show for [n]. */
export function citationFor(document: StoredDocument, chunk: Chunk, n: number): Citation {
  return {
    n,
    docId: document.id,
    title: document.title,
    date: document.date ?? null,
    url: document.url ?? null,
    chunkId: chunk.id,
    text: chunk.text,
  };
}
