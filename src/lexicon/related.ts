import { forEachCedictEntry, glossPhrases } from './cedict.js';
import { englishWords } from './english.js';
import type { Lexicon } from './lexicon.js';

/**
 * Dictionary word → the articles' words CC-CEDICT relates to it. Two words are related when the
 * dictionary glosses both with the same English phrase (公司 and 企业 are both "company; firm",
 * 医生 and 医师 "doctor"): the articles may say a question's word another way that shares no
 * character with it. Computed at ingest for every dictionary word, so answering never reads the dictionary.
 */
export type RelatedWordTable = ReadonlyMap<string, readonly string[]>;

/** A gloss phrase shared by more of the articles' words than this says little ("to do", "situation"). */
const MAX_WORDS_PER_PHRASE = 6;

/**
 * How much of their senses two words must share (Jaccard of their gloss phrases): one sense in
 * common is often a pun of English (公司 and 扎实 are both "firm", 资金 and 首都 "capital").
 */
const MIN_SHARED_SENSES = 0.4;

export interface DictionaryRelations {
  related: RelatedWordTable;
  /** English words CC-CEDICT uses as a whole gloss of some Chinese word ("football", "office"). */
  dictionaryEnglish: ReadonlySet<string>;
}

/** One pass over CC-CEDICT: the related words of the lexicon's Chinese terms, and the dictionary's English words. */
export function dictionaryRelations(lexicon: Lexicon): DictionaryRelations {
  const senses = glossKeysByWord();
  const related = new Map<string, string[]>();
  for (const [term, keys] of senses) {
    const own = new Set(keys);
    const found = new Set<string>();
    for (const key of own) {
      const words = lexicon.get(key);
      if (!words || words.length > MAX_WORDS_PER_PHRASE) continue;
      for (const word of words) if (word !== term && word.length >= 2 && sharedSenses(own, senses.get(word) ?? []) >= MIN_SHARED_SENSES) found.add(word);
    }
    if (found.size) related.set(term, [...found]);
  }
  const dictionaryEnglish = new Set([...senses.values()].flat().filter((key) => !key.includes(' ')));
  return { related, dictionaryEnglish };
}

let glossKeys: Map<string, string[]> | undefined;

/**
 * Every dictionary word of two to four characters → its gloss phrases (of up to three words), as
 * the lexicon keys them. The dictionary's, not the articles': read once per process (about a
 * second), so that a process that ingests again (the tests, a re-ingest after an edit) does not pay it again.
 */
function glossKeysByWord(): Map<string, string[]> {
  if (glossKeys) return glossKeys;
  const keys = new Map<string, string[]>();
  forEachCedictEntry(
    (simplified) => simplified.length >= 2 && simplified.length <= 4,
    (simplified, glosses) => {
      const phrases = glosses.flatMap(glossPhrases).map((phrase) => englishWords(phrase).join(' ')).filter((key) => key && key.split(' ').length <= 3);
      if (!phrases.length) return;
      keys.set(simplified, [...new Set([...(keys.get(simplified) ?? []), ...phrases])]);
    },
  );
  glossKeys = keys;
  return keys;
}

function sharedSenses(a: ReadonlySet<string>, b: readonly string[]): number {
  const other = new Set(b);
  let shared = 0;
  for (const key of a) if (other.has(key)) shared++;
  return shared / (a.size + other.size - shared || 1);
}
