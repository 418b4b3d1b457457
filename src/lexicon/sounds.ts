import { createRequire } from 'node:module';
import { pinyin } from 'pinyin-pro';
import { words } from '../text/tokenize.js';

/** Toneless pinyin → the articles' words (2–4 Han characters) and members' names with that sound. */
export type SoundTable = ReadonlyMap<string, readonly string[]>;

/** The longest stretch read as one word by sound: Chinese words and names are two to four characters. */
export const MAX_SOUND_CHARS = 4;

const HAN_WORD = /^\p{Script=Han}+$/u;

/** 建议 → "jian yi": the sound a pinyin input method types, tones aside. */
export function soundOf(text: string): string {
  return pinyin(text, { toneType: 'none', type: 'array' }).join(' ');
}

/** pinyin-pro's version: another release may read a character otherwise. */
export function pinyinVersion(): string {
  return String((createRequire(import.meta.url)('pinyin-pro/package.json') as { version?: unknown }).version);
}

/**
 * The sound table of a set of articles, computed at ingest: every jieba word of their texts and
 * every member's name, keyed by its toneless pinyin, in the order the articles first use them.
 */
export function soundTable(documents: Iterable<{ text: string; people: readonly { name: string }[] }>): SoundTable {
  const bySound = new Map<string, string[]>();
  const seen = new Set<string>();
  const add = (word: string) => {
    if (seen.has(word) || word.length < 2 || word.length > MAX_SOUND_CHARS || !HAN_WORD.test(word)) return;
    seen.add(word);
    const key = soundOf(word);
    const list = bySound.get(key);
    if (list) list.push(word);
    else bySound.set(key, [word]);
  };
  for (const document of documents) {
    for (const person of document.people) add(person.name);
    for (const word of words(document.text)) add(word);
  }
  return bySound;
}
