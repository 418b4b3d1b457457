import type { WordTables } from '../lexicon/word-tables.js';
import type { KeywordIndex } from './bm25.js';
import type { Corpus } from './corpus.js';
import type { Presence } from './presence.js';

/**
 * The part of a loaded index that question analysis, scoring and composing read: the articles and
 * what ingest computed from them, with no vectors. A test builds one in memory
 * (test/support/memory-index.ts); only retrieval's vector search needs the whole ForumIndex.
 */
export interface ArticleIndex {
  /** The articles, their chunks by position, members and dates. */
  readonly corpus: Corpus;
  readonly keywords: KeywordIndex;
  /** The lexicon, related words, sound table and dictionary English (computed at ingest; what an older index lacks is built on load). */
  readonly words: WordTables;
  /** Whether the articles contain a term (built on load, from the store and the keyword index). */
  readonly presence: Presence;
}
