import type { ForumIndex } from '../index/forum-index.js';
import { forEachCedictEntry, glossPhrases } from '../lexicon/cedict.js';
import { englishWords } from '../lexicon/english.js';
import { lexiconFor } from './lexicon.js';

/**
 * Chinese words the dictionary relates: two words are related when CC-CEDICT glosses both with
 * the same English phrase (公司 and 企业 are both "company; firm", 医生 and 医师 "doctor"). The
 * articles may say a question's word another way that shares no character with it; a related
 * word the article uses is evidence, weaker than the word itself.
 */
export type RelatedWords = (term: string) => readonly string[];

/** A gloss phrase shared by more corpus words than this says little ("to do", "situation"). */
const MAX_WORDS_PER_PHRASE = 6;

/**
 * How much of their senses two words must share (Jaccard of their gloss phrases): one sense in
 * common is often a pun of English (公司 and 扎实 are both "firm", 资金 and 首都 "capital").
 */
const MIN_SHARED_SENSES = 0.4;

let glossKeys: Map<string, string[]> | undefined;

/** Every dictionary word of two to four characters → its gloss phrases, as the lexicon keys them. Read once per process. */
function glossKeysOf(term: string): readonly string[] {
  if (!glossKeys) {
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
  }
  return glossKeys.get(term) ?? [];
}

/** The related words the articles of this index use, for any word. */
export function relatedWordsIn(index: ForumIndex): RelatedWords {
  const lexicon = lexiconFor(index);
  return (term) => {
    const senses = new Set(glossKeysOf(term));
    const related = new Set<string>();
    for (const key of senses) {
      const words = lexicon.get(key);
      if (!words || words.length > MAX_WORDS_PER_PHRASE) continue;
      for (const word of words) if (word !== term && word.length >= 2 && sharedSenses(senses, glossKeysOf(word)) >= MIN_SHARED_SENSES) related.add(word);
    }
    return [...related];
  };
}

function sharedSenses(a: ReadonlySet<string>, b: readonly string[]): number {
  const other = new Set(b);
  let shared = 0;
  for (const key of a) if (other.has(key)) shared++;
  return shared / (a.size + other.size - shared || 1);
}

let englishWordSet: Set<string> | undefined;

/** English words CC-CEDICT uses as a whole gloss of some Chinese word ("football", "office"). */
export function isDictionaryEnglishWord(word: string): boolean {
  if (!englishWordSet) {
    glossKeysOf('');
    englishWordSet = new Set([...glossKeys!.values()].flat().filter((key) => !key.includes(' ')));
  }
  return englishWordSet.has(word);
}
