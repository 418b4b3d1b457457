import type { KeywordHit } from '../index/bm25.js';
import type { ForumIndex } from '../index/forum-index.js';
import { searchTerms } from '../text/tokenize.js';
import type { RetrievedChunk } from '../types.js';

export interface RetrieveOptions {
  /** How many passages to return. */
  k?: number;
  /** How deep each retriever looks before fusion. */
  depth?: number;
  /** Restrict to these documents (e.g. the year a question names). */
  documentIds?: ReadonlySet<string>;
}

const RRF_K = 60;

/**
 * Hybrid retrieval: HNSW nearest neighbours and BM25 keyword hits, fused by reciprocal rank
 * (each list votes 1/(60 + rank)), so neither score scale has to be calibrated against the other.
 * The vector search runs in a worker thread during the keyword search, so the two overlap.
 */
export async function retrieve(index: ForumIndex, query: string, options: RetrieveOptions = {}): Promise<RetrievedChunk[]> {
  const k = options.k ?? 8;
  const depth = Math.max(options.depth ?? 30, k);
  const allowed = options.documentIds;
  // One mask of the allowed chunk positions per query, not a string Set lookup per posting.
  const mask = allowed ? index.corpus.documentMask(allowed) : undefined;
  const inScope = mask ? (position: number) => mask[position] === 1 : undefined;

  const vector = await index.embedder.embedQuery(query);
  // HNSW searches in the index's worker thread while BM25 runs here: the two overlap.
  // The scope filters inside the HNSW search: `depth` hits in scope, however small the scope.
  const searching = index.searchVectors(vector, depth, mask);
  let keywordHits: KeywordHit[];
  try {
    keywordHits = index.keywords.search(searchTerms(query), depth, inScope);
  } catch (error) {
    searching.catch(() => undefined); // the keyword error is the one reported
    throw error;
  }
  const vectorHits = await searching;

  const fused = new Map<number, RetrievedChunk>();
  const entry = (position: number): RetrievedChunk => {
    let chunk = fused.get(position);
    if (!chunk) {
      chunk = { ...index.corpus.chunks[position]!, score: 0 };
      fused.set(position, chunk);
    }
    return chunk;
  };
  vectorHits.forEach((hit, rank) => {
    const chunk = entry(hit.position);
    chunk.score += 1 / (RRF_K + rank + 1);
    chunk.vectorScore = hit.similarity;
  });
  keywordHits.forEach((hit, rank) => {
    const chunk = entry(hit.position);
    chunk.score += 1 / (RRF_K + rank + 1);
    chunk.keywordScore = hit.score;
  });
  return [...fused.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, k);
}
