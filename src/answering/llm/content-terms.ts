import { writtenInEnglish } from '../../text/language.js';
import type { ArticleIndex } from '../../index/article-index.js';
import { translateQuestion } from '../../crosslingual/translate.js';
import { contentTerms } from '../../retrieval/query.js';
import { partOfSpeech } from '../../text/dictionary.js';
import { words } from '../../text/tokenize.js';
import { isEnglishFrameWord, isEnglishStopword } from '../../crosslingual/english.js';

/**
 * Stricter, for a sentence that cites nothing of its own: an English word the dictionary knows but
 * nothing in the articles translates ("office") is content no passage supports, and counts against it.
 */
export function strictContentTermsOf(index: ArticleIndex, text: string): string[] {
  const terms = contentTermsOf(index, text);
  if (!writtenInEnglish(text)) return terms;
  return [...terms, ...untranslatedWords(index, text)];
}

/**
 * What a sentence reporting a proposal proposes beyond its things (support.ts weighs these at
 * half): in Chinese its verbs and adjectives (设立, 审批, 减免; not adverbs, conjunctions,
 * pronouns or counts), in English the words the dictionary knows but nothing in the articles
 * translates ("public", "lottery"), which no Chinese passage can hold.
 */
export function proposedTermsOf(index: ArticleIndex, text: string): string[] {
  if (writtenInEnglish(text)) return untranslatedWords(index, text);
  return contentTerms(withoutBackReferences(text)).filter(
    (term) => /\p{Script=Han}/u.test(term) && !isThing(term) && !isIdiom(term) && !/^(?:d|c|p|r|u|m|q|f|t)/.test(partOfSpeech(term) ?? ''),
  );
}

function untranslatedWords(index: ArticleIndex, text: string): string[] {
  return translateQuestion(index, glossed(text).english).termGroups.filter((group) => /^[a-z]{4,}$/.test(group) && index.words.dictionaryEnglish.has(group));
}

/**
 * What an answer sentence says that a passage must support: its things — nouns, verbal nouns,
 * names, terms and words the dictionary does not know (the articles' own coinages) — not the
 * verbs and adverbs a paraphrase is free to change (借助/通过, 加快/加速, 设立/建立). An invented
 * proposal brings new things (人才公寓, 税费减免); a faithful paraphrase keeps the passage's.
 * An English sentence counts by its translations into the articles' Chinese, and a term it
 * glosses in parentheses as the Chinese it gives; English words nothing translates cannot be in a
 * Chinese passage and are not counted.
 */
export function contentTermsOf(index: ArticleIndex, text: string): string[] {
  if (writtenInEnglish(text)) {
    const { english, chinese } = glossed(text);
    const translated = translateQuestion(index, english).termGroups.filter((group) => group.split('|').some((term) => /\p{Script=Han}/u.test(term)));
    return [...new Set([...translated, ...chinese.flatMap((term) => contentTerms(term).filter(isThing))])];
  }
  return contentTerms(withoutBackReferences(text)).filter(isThing);
}

// An English phrase with the Chinese it renders in parentheses after it: "integration" (融合),
// top-level planning coordination (顶层规划联动). The phrase is quoted, or the words before the
// parenthesis back to a function word or punctuation (five at most).
const GLOSS = /("[^"]+"|“[^”]+”|[A-Za-z0-9][\w'’-]*(?:[ \t]+[A-Za-z0-9][\w'’-]*){0,4})[ \t]*[（(]([^()（）]*\p{Script=Han}[^()（）]*)[)）]/gu;

/**
 * The prompt has English answers give key terms in parentheses exactly as the passage writes them.
 * The English before such a term glosses it, and a word-by-word translation of the gloss ("top-level"
 * → 顶尖 + 水平 for 顶层) misses words the passage holds: the gloss counts as the Chinese it gives
 * (which is checked verbatim as well), the rest of the sentence as its translation.
 */
function glossed(text: string): { english: string; chinese: string[] } {
  const chinese: string[] = [];
  const english = text.replace(GLOSS, (_whole, phrase: string, han: string) => {
    chinese.push(han);
    if (/^["“]/.test(phrase)) return ' ';
    const words = phrase.split(/[ \t]+/);
    let start = words.length;
    while (start > 0 && !isFunctionWord(words[start - 1]!)) start--;
    return ` ${words.slice(0, start).join(' ')} `;
  });
  return { english, chinese };
}

function isFunctionWord(word: string): boolean {
  const lower = word.toLowerCase().replace(/['’]s$/, '');
  return isEnglishStopword(lower) || isEnglishFrameWord(lower);
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

function isIdiom(term: string): boolean {
  return partOfSpeech(term) === 'i' && [...term].length === 4;
}

function isThing(term: string): boolean {
  // Latin inside a Chinese sentence: model and product names (6G, AI, GPU) are things; English
  // words (a romanised name, "suggested") cannot be in a Chinese passage and are not counted.
  if (!/\p{Script=Han}/u.test(term)) return /\d/.test(term) || (term.length <= 4 && !isEnglishStopword(term));
  const tag = partOfSpeech(term);
  // A four-character idiom (成语: 深受鼓舞/备受鼓舞, 名副其实/当之无愧, 各抒己见) describes and
  // evaluates, as adjectives do; a paraphrase swaps one for another. Shorter idioms (攻坚战) are nouns.
  if (isIdiom(term)) return false;
  return tag === undefined || /^(?:n|vn|an|nz|ns|nt|nr|eng|j|l|i)/.test(tag);
}
