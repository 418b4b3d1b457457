import type { ForumIndex } from '../index/forum-index.js';
import { translateQuestion } from '../crosslingual/translate.js';
import { isDictionaryEnglishWord } from '../crosslingual/related-words.js';
import { contentTerms } from '../retrieval/query.js';
import { partOfSpeech } from '../text/dictionary.js';
import { isEnglishStopword } from '../crosslingual/english.js';

/**
 * What an answer sentence says that a passage must support: its things — nouns, verbal nouns,
 * names, terms and words the dictionary does not know (the articles' own coinages) — not the
 * verbs and adverbs a paraphrase is free to change (借助/通过, 加快/加速, 设立/建立). An invented
 * proposal brings new things (人才公寓, 税费减免); a faithful paraphrase keeps the passage's.
 * An English sentence counts by its translations into the articles' Chinese; English words
 * nothing translates cannot be in a Chinese passage and are not counted.
 */
/**
 * Stricter, for a sentence that cites nothing of its own: an English word the dictionary knows but
 * nothing in the articles translates ("office") is content no passage supports, and counts against it.
 */
export function strictContentTermsOf(index: ForumIndex, text: string): string[] {
  const terms = contentTermsOf(index, text);
  if (!isEnglishText(text)) return terms;
  const untranslated = translateQuestion(index, text).termGroups.filter((group) => /^[a-z]{4,}$/.test(group) && isDictionaryEnglishWord(group));
  return [...terms, ...untranslated];
}

function isEnglishText(text: string): boolean {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return latin > han * 2;
}

export function contentTermsOf(index: ForumIndex, text: string): string[] {
  if (isEnglishText(text)) {
    return translateQuestion(index, text).termGroups.filter((group) => group.split('|').some((term) => /\p{Script=Han}/u.test(term)));
  }
  return contentTerms(text).filter(isThing);
}

function isThing(term: string): boolean {
  // Latin inside a Chinese sentence: model and product names (6G, AI, GPU) are things; English
  // words (a romanised name, "suggested") cannot be in a Chinese passage and are not counted.
  if (!/\p{Script=Han}/u.test(term)) return /\d/.test(term) || (term.length <= 4 && !isEnglishStopword(term));
  const tag = partOfSpeech(term);
  return tag === undefined || /^(?:n|vn|an|nz|ns|nt|nr|eng|j|l|i)/.test(tag);
}
