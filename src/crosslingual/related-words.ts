import type { ArticleIndex } from '../index/article-index.js';

/**
 * Chinese words the dictionary relates (公司 and 企业, 医生 and 医师): the articles may say a
 * question's word another way that shares no character with it; a related word the article
 * uses is evidence, weaker than the word itself. The table is computed at ingest (lexicon/related.ts).
 */
export type RelatedWords = (term: string) => readonly string[];

/** The related words the articles of this index use, for any word. */
export function relatedWordsIn(index: ArticleIndex): RelatedWords {
  const table = index.words.related;
  return (term) => table.get(term) ?? [];
}
