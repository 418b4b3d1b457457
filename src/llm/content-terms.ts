import type { ForumIndex } from '../index/forum-index.js';
import { translateQuestion } from '../crosslingual/translate.js';
import { contentTerms } from '../retrieval/query.js';

/**
 * The content words of an answer sentence, as the offline answerer reads a question: Chinese
 * words (function, framing and chat words aside), or an English sentence's terms translated into
 * the articles' Chinese ("a|b" alternatives; untranslatable words kept as themselves).
 */
export function contentTermsOf(index: ForumIndex, text: string): string[] {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  if (latin > han * 2) return translateQuestion(index, text).termGroups;
  return contentTerms(text);
}
