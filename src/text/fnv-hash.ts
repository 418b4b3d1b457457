/**
 * FNV-1a, 32-bit, over UTF-16 code units: the hash of the open-addressing tables that look up
 * words in one long string (jieba's IDF table in idf.ts, the BM25 term dictionary in index/bm25.ts).
 */
export const FNV_OFFSET_BASIS = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of text[start, end), as an unsigned 32-bit number. */
export function fnv1a(text: string, start = 0, end = text.length): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}
