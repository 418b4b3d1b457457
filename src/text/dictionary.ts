/**
 * jieba's dictionary as a word list: which strings are words, how common, and their part of
 * speech. Telling a name from the word after it needs this ("赵宇同样关注": 同样 is a word, so the
 * name is 赵宇).
 */
import { dict } from '@node-rs/jieba/dict.js';

/** Rarer entries are mostly names and fragments; person-name tags (nr…) are not words here. */
const MIN_FREQUENCY = 100;

// Single-character nouns a colloquial question is about (药, 钱, 车, 房); the commonest ones
// (人, 事) say nothing.
const MAX_CONCRETE_FREQUENCY = 20_000;

/** One dictionary line: "word frequency tag". */
interface Entry {
  frequency: number;
  tag: string | undefined;
}

/**
 * The dictionary's 350k lines are searched in place: its text and where each line starts, in the
 * order of the words. A Set and a Map of every word took 0.76 s to build, paid by every process
 * before its first answer; the line offsets take a few tens of milliseconds, and a look-up is a
 * binary search of about 19 steps.
 */
interface Lines {
  text: string;
  starts: Int32Array;
}

let lines: Lines | undefined;

function dictionaryLines(): Lines {
  if (lines) return lines;
  const text = new TextDecoder().decode(dict);
  const found: number[] = [];
  for (let at = 0; at < text.length; ) {
    const end = lineEnd(text, at);
    if (end > at && text.charCodeAt(at) !== SPACE) found.push(at);
    at = end + 1;
  }
  const starts = Int32Array.from(found);
  // jieba ships the file sorted by word; should a release not, sort it rather than miss words.
  let sorted = true;
  for (let i = 1; i < starts.length && sorted; i++) sorted = compareWords(text, starts[i - 1]!, starts[i]!) < 0;
  if (!sorted) starts.sort((a, b) => compareWords(text, a, b));
  lines = { text, starts };
  return lines;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end < 0 ? text.length : end;
}

function wordEnd(text: string, at: number): number {
  for (let i = at; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === SPACE || code === NEWLINE || code === 0x0d) return i;
  }
  return text.length;
}

/** Compares the words of the lines starting at a and b, as JavaScript compares strings. */
function compareWords(text: string, a: number, b: number): number {
  const aEnd = wordEnd(text, a);
  const bEnd = wordEnd(text, b);
  for (; a < aEnd && b < bEnd; a++, b++) {
    const difference = text.charCodeAt(a) - text.charCodeAt(b);
    if (difference) return difference;
  }
  return aEnd - a - (bEnd - b);
}

function entryOf(word: string): Entry | undefined {
  if (!word) return undefined;
  const { text, starts } = dictionaryLines();
  let low = 0;
  let high = starts.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const start = starts[middle]!;
    const end = wordEnd(text, start);
    const candidate = text.slice(start, end);
    if (candidate === word) {
      const [, frequency, tag] = text.slice(start, lineEnd(text, start)).trimEnd().split(' ');
      return { frequency: Number(frequency), tag: tag || undefined };
    }
    if (candidate < word) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/** Reads the dictionary now, so that the first question does not wait for it. */
export function loadDictionary(): void {
  dictionaryLines();
}

/** True for a one-character noun that names a thing (药, 钱), not 人 or 事. */
export function isConcreteCharacter(word: string): boolean {
  if (word.length !== 1) return false;
  const entry = entryOf(word);
  return entry?.tag === 'n' && entry.frequency <= MAX_CONCRETE_FREQUENCY;
}

/** jieba's part-of-speech tag for a dictionary word (n, v, vn, ns, …), undefined for a word it does not list. */
export function partOfSpeech(word: string): string | undefined {
  return entryOf(word)?.tag;
}

/** True when jieba's dictionary lists the characters as a word at all, however rare. */
export function isDictionaryWord(word: string): boolean {
  return entryOf(word) !== undefined;
}

/** True when the characters form a common dictionary word (not a person's name). */
export function isCommonWord(word: string): boolean {
  if (word.length < 2) return false;
  const entry = entryOf(word);
  return entry !== undefined && entry.frequency >= MIN_FREQUENCY && !entry.tag?.startsWith('nr');
}
