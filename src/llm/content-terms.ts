import type { ForumIndex } from '../index/forum-index.js';
import { translateQuestion } from '../crosslingual/translate.js';
import { isDictionaryEnglishWord } from '../crosslingual/related-words.js';
import { contentTerms } from '../retrieval/query.js';
import { partOfSpeech } from '../text/dictionary.js';
import { words } from '../text/tokenize.js';
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
  return contentTerms(withoutBackReferences(text)).filter(isThing);
}

// A demonstrative, alone or with a number and measure word: 这, 这些, 这一, 这个, 这项, 这两项, 那场, 该, 此, 上述.
const DEMONSTRATIVE = /^(?:这|那|该|此|上述)(?:[一两二三四五六七八九十几]?[个些项种类条场位家份批点套]|一|些)?$/u;
const COUNT = /^[一两二三四五六七八九十几]+[个些项种类条场位家份批点套]$/u;

/**
 * "这些指标", "这几项指标", "这一机制", "该平台": a noun after a demonstrative points back at what
 * was already said (the question's 企业数量、顶尖人才数量; the mechanism the previous sentence
 * named); it brings nothing new for a passage to support. The demonstrative and its noun are
 * taken out; the rest of the sentence is counted as usual.
 */
function withoutBackReferences(text: string): string {
  const tokens = words(text);
  if (!tokens.some((token) => DEMONSTRATIVE.test(token))) return text;
  // Each token's place in the text (words() drops punctuation and blanks, never reorders).
  const starts: number[] = [];
  let cursor = 0;
  for (const token of tokens) {
    const at = text.indexOf(token, cursor);
    starts.push(at);
    if (at >= 0) cursor = at + token.length;
  }
  const cuts: [number, number][] = [];
  tokens.forEach((token, i) => {
    if (!DEMONSTRATIVE.test(token) || starts[i]! < 0) return;
    let last = i;
    if (COUNT.test(tokens[last + 1] ?? '')) last++;
    if (/^n/.test(partOfSpeech(tokens[last + 1] ?? '') ?? '')) last++;
    if (starts[last]! >= 0) cuts.push([starts[i]!, starts[last]! + tokens[last]!.length]);
  });
  let rest = text;
  for (const [from, to] of cuts.reverse()) rest = `${rest.slice(0, from)} ${rest.slice(to)}`;
  return rest;
}

function isThing(term: string): boolean {
  // Latin inside a Chinese sentence: model and product names (6G, AI, GPU) are things; English
  // words (a romanised name, "suggested") cannot be in a Chinese passage and are not counted.
  if (!/\p{Script=Han}/u.test(term)) return /\d/.test(term) || (term.length <= 4 && !isEnglishStopword(term));
  const tag = partOfSpeech(term);
  // A four-character idiom (成语: 深受鼓舞/备受鼓舞, 名副其实/当之无愧, 各抒己见) describes and
  // evaluates, as adjectives do; a paraphrase swaps one for another. Shorter idioms (攻坚战) are nouns.
  if (tag === 'i' && [...term].length === 4) return false;
  return tag === undefined || /^(?:n|vn|an|nz|ns|nt|nr|eng|j|l|i)/.test(tag);
}
