import type { ForumIndex } from '../index/forum-index.js';
import type { Lexicon } from '../lexicon/lexicon.js';

export type { Lexicon } from '../lexicon/lexicon.js';

/**
 * The index's bilingual lexicon: computed at ingest (lexicon/lexicon.ts) and loaded with the
 * index. A plain accessor, so its callers need not change while the loaded index is reshaped.
 */
export function lexiconFor(index: ForumIndex): Lexicon {
  return index.lexicon;
}
