import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { STOPWORDS } from './stopwords.js';

// Without the dictionary jieba silently cuts into single characters.
let jieba: Jieba | undefined;
export function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_OR_NUMBER = /[a-z0-9]+(?:[.][0-9]+)?/g;

export function isHan(char: string): boolean {
  return HAN.test(char);
}

/**
 * Folds the forms that should match each other: full-width letters and digits (４２ → 42),
 * compatibility characters, and case.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Dictionary words of the text (jieba, precise mode), punctuation and blanks removed. */
export function words(text: string): string[] {
  return segmenter()
    .cut(normalizeText(text), true)
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
}

/**
 * The terms used for keyword search and the lexical embedder: jieba search-mode words,
 * overlapping bigrams of every run of Han characters (robust to segmentation mistakes and
 * unknown names), and Latin words and numbers. Never relies on whitespace between Chinese words.
 */
export function searchTerms(text: string, options: { keepStopwords?: boolean } = {}): string[] {
  const normalized = normalizeText(text);
  const terms: string[] = [];
  for (const word of segmenter().cutForSearch(normalized, true)) {
    if (!isHan(word[0] ?? '') ) continue; // Latin and numbers are taken below, whole
    if (word.length < 2 && !options.keepStopwords) continue;
    if (!options.keepStopwords && STOPWORDS.has(word)) continue;
    terms.push(word);
  }
  for (const bigram of hanBigrams(normalized, options)) terms.push(bigram);
  for (const token of latinTokens(normalized)) terms.push(token);
  return terms;
}

/** The overlapping bigrams of every run of Han characters of a normalised text, as keyword terms (`~ab`). */
export function hanBigrams(normalized: string, options: { keepStopwords?: boolean } = {}): string[] {
  const bigrams: string[] = [];
  for (const run of normalized.match(HAN_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) {
      const bigram = run.slice(i, i + 2);
      if (!options.keepStopwords && STOPWORDS.has(bigram)) continue;
      bigrams.push(`~${bigram}`);
    }
  }
  return bigrams;
}

/** The Latin words and numbers of a normalised text, each whole ("6g", "3.5", "2025"). */
export function latinTokens(normalized: string): string[] {
  return normalized.match(LATIN_OR_NUMBER) ?? [];
}

/** Term → count. */
export function termFrequencies(terms: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}
