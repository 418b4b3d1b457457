import { normalizeText } from '../text/tokenize.js';
import { forEachCedictEntry, glossPhrases } from './cedict.js';
import { englishWords, lemma } from './english.js';
import { glossary } from './glossary.js';

/** English phrase (lemmatised words joined by spaces) → Chinese terms that occur in the articles. */
export type Lexicon = Map<string, string[]>;

/** What the lexicon reads of a keyword index: in how many passages a term (or bigram `~ab`) occurs. */
export interface TermCounts {
  documentFrequency(term: string): number;
}

/**
 * The bilingual lexicon of a set of articles: CC-CEDICT and the domain glossary, keeping only
 * Chinese terms the articles' texts contain (normalised), each English phrase's terms ordered
 * by how many passages use them (the usual translation first). Computed at ingest.
 */
export function articleLexicon(texts: Iterable<string>, counts: TermCounts): Lexicon {
  const dictionary = new Set<string>();
  for (const terms of glossary().values()) for (const term of terms) dictionary.add(normalizeText(term));
  forEachCedictEntry(
    (simplified) => {
      if (simplified.length >= 2) dictionary.add(simplified);
      return false;
    },
    () => undefined,
  );
  const present = termsIn(normalized(texts), dictionary);
  return buildLexicon((term) => present.has(term), (term) => occurrences(counts, term), forEachCedictEntry);
}

function* normalized(texts: Iterable<string>): Iterable<string> {
  for (const text of texts) yield normalizeText(text);
}

/**
 * Which of the terms occur in the texts, in one pass over each: at every position the text is
 * read on from two characters while what has been read begins some term, usually for two or three.
 */
export function termsIn(texts: Iterable<string>, terms: Iterable<string>): Set<string> {
  const single = new Set<string>();
  const wanted = new Set<string>();
  // Every proper prefix of two characters or more: where reading on may still find a term.
  const prefixes = new Set<string>();
  let longest = 0;
  for (const term of terms) {
    if (term.length === 1) single.add(term);
    if (term.length < 2) continue;
    wanted.add(term);
    for (let length = 2; length < term.length; length++) prefixes.add(term.slice(0, length));
    longest = Math.max(longest, term.length);
  }
  const found = new Set<string>();
  for (const text of texts) {
    for (let at = 0; at < text.length; at++) {
      if (single.size && single.has(text[at]!)) found.add(text[at]!);
      for (let end = at + 2; end <= text.length && end - at <= longest; end++) {
        const piece = text.slice(at, end);
        if (wanted.has(piece)) found.add(piece);
        if (!prefixes.has(piece)) break;
      }
    }
  }
  return found;
}

/**
 * The lexicon from the glossary and the dictionary entries `forEachEntry` visits, keeping the
 * Chinese terms `present` finds in the articles, each phrase's terms by `occurrences`, most first.
 */
export function buildLexicon(
  present: (term: string) => boolean,
  occurrences: (term: string) => number,
  forEachEntry: (accept: (simplified: string) => boolean, visit: (simplified: string, glosses: string[]) => void) => void,
): Lexicon {
  const lexicon: Lexicon = new Map();
  const put = (key: string, term: string) => {
    const terms = lexicon.get(key) ?? [];
    if (!terms.includes(term)) terms.push(term);
    lexicon.set(key, terms);
  };
  const add = (phrase: string, term: string) => {
    const words = englishWords(phrase);
    if (!words.length) return;
    put(words.join(' '), term);
    // Also under the base form of the last word ("funds" → "fund"), except short words where
    // stripping an "s" changes the word ("news" is not "new").
    const last = words[words.length - 1]!;
    const base = lemma(last);
    if (base !== last && base.length > 3) put([...words.slice(0, -1), base].join(' '), term);
  };
  for (const [phrase, terms] of glossary()) {
    for (const term of terms) if (present(normalizeText(term))) add(phrase, normalizeText(term));
  }
  forEachEntry(
    (simplified) => simplified.length >= 2 && present(simplified),
    (simplified, glosses) => {
      for (const gloss of glosses) for (const phrase of glossPhrases(gloss)) add(phrase, simplified);
    },
  );
  for (const [key, terms] of lexicon) lexicon.set(key, terms.sort((a, b) => occurrences(b) - occurrences(a)));
  return lexicon;
}

/** How many passages contain the term (a jieba word, or a two-character bigram). */
function occurrences(counts: TermCounts, term: string): number {
  return counts.documentFrequency(term) || (term.length === 2 ? counts.documentFrequency(`~${term}`) : 0);
}
