/**
 * jieba's dictionary as a word list: which two-character strings are common words. Telling a
 * name from the word after it needs this ("赵宇同样关注": 同样 is a word, so the name is 赵宇).
 */
import { dict } from '@node-rs/jieba/dict.js';

/** Rarer entries are mostly names and fragments; person-name tags (nr…) are not words here. */
const MIN_FREQUENCY = 100;
let common: Set<string> | undefined;
let all: Set<string> | undefined;
let concreteCharacters: Set<string> | undefined;
let tags: Map<string, string> | undefined;

function commonWords(): Set<string> {
  if (common) return common;
  common = new Set();
  all = new Set();
  for (const line of new TextDecoder().decode(dict).split('\n')) {
    const [word, frequency, tag] = line.split(' ');
    if (!word) continue;
    all.add(word);
    if (tag) (tags ??= new Map()).set(word, tag);
    if (word.length === 1 && tag === 'n' && Number(frequency) <= MAX_CONCRETE_FREQUENCY) (concreteCharacters ??= new Set()).add(word);
    if (Number(frequency) < MIN_FREQUENCY || tag?.startsWith('nr')) continue;
    common.add(word);
  }
  return common;
}

// Single-character nouns a colloquial question is about (药, 钱, 车, 房); the commonest ones
// (人, 事) say nothing.
const MAX_CONCRETE_FREQUENCY = 20_000;

/** True for a one-character noun that names a thing (药, 钱), not 人 or 事. */
export function isConcreteCharacter(word: string): boolean {
  commonWords();
  return concreteCharacters?.has(word) ?? false;
}

/** jieba's part-of-speech tag for a dictionary word (n, v, vn, ns, …), undefined for a word it does not list. */
export function partOfSpeech(word: string): string | undefined {
  commonWords();
  return tags?.get(word);
}

/** True when jieba's dictionary lists the characters as a word at all, however rare. */
export function isDictionaryWord(word: string): boolean {
  commonWords();
  return all!.has(word);
}

/** True when the characters form a common dictionary word (not a person's name). */
export function isCommonWord(word: string): boolean {
  return word.length >= 2 && commonWords().has(word);
}
