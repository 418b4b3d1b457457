import { chineseDate } from '../index/context.js';
import type { ForumIndex } from '../index/forum-index.js';
import { normalizeText } from '../text/tokenize.js';

const cache = new WeakMap<ForumIndex, string>();

/** Everything a question could legitimately match: article texts, titles, sessions, dates, people. */
export function corpusVocabulary(index: ForumIndex): string {
  let text = cache.get(index);
  if (text === undefined) {
    // Punctuation removed: a jieba word may span it ("企业中,有" → "中有").
    text = normalizeText(
      [...index.documents.values()]
        .map((document) => [document.title, document.session, chineseDate(document.date), document.date, document.text].join('\n'))
        .join('\n'),
    ).replace(/[\p{P}\p{S}\s]+/gu, '');
    cache.set(index, text);
  }
  return text;
}
