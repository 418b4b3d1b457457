import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fnv1a } from './fnv-hash.js';

// jieba ships inverse document frequencies computed over a large general Chinese corpus.
// Using them (rather than this corpus' own counts) keeps a chunk's lexical vector independent
// of the other articles, so adding an article never changes the vectors of the rest.
//
// The table (~270k words) is kept as the file's own text plus an open-addressing hash table of
// offsets: ~15 MB resident instead of the ~100 MB a Map of 270k strings costs, and it loads in a
// fraction of the time. Lookups give exactly what a Map built line by line would (a word listed
// twice keeps its last value; the median is over every line).
interface IdfTable {
  text: string;
  /** Start and end (exclusive) of each word in `text`, by entry. */
  starts: Int32Array;
  ends: Int32Array;
  values: Float64Array;
  /** Open addressing: entry + 1, 0 = empty. Length is a power of two. */
  slots: Int32Array;
  median: number;
}

let table: IdfTable | undefined;

function load(): IdfTable {
  if (table) return table;
  const file = createRequire(import.meta.url).resolve('@node-rs/jieba/idf.txt');
  const text = readFileSync(file, 'utf8');
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  const starts = new Int32Array(lines);
  const ends = new Int32Array(lines);
  const values = new Float64Array(lines);
  const all = new Float64Array(lines);
  let capacity = 1;
  while (capacity < lines * 2) capacity *= 2;
  const slots = new Int32Array(capacity);
  const mask = capacity - 1;
  let entries = 0;
  let valueCount = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const space = text.lastIndexOf(' ', end - 1);
    if (space > start) {
      const value = Number(text.slice(space + 1, end));
      all[valueCount++] = value;
      let slot = fnv1a(text, start, space) & mask;
      for (;;) {
        const entry = slots[slot]! - 1;
        if (entry < 0) {
          starts[entries] = start;
          ends[entries] = space;
          values[entries] = value;
          slots[slot] = ++entries;
          break;
        }
        if (ends[entry]! - starts[entry]! === space - start && text.startsWith(text.slice(start, space), starts[entry]!)) {
          values[entry] = value; // listed again: the later line wins, as Map.set would
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    start = end + 1;
  }
  const sorted = all.subarray(0, valueCount).sort();
  const median = valueCount ? sorted[Math.floor(valueCount / 2)]! : 10;
  table = { text, starts, ends, values, slots, median };
  return table;
}

/** General-language IDF of a word; words jieba has never seen (names, new terms) count as rare. */
export function generalIdf(word: string): number {
  const { text, starts, ends, values, slots, median } = load();
  const mask = slots.length - 1;
  let slot = fnv1a(word, 0, word.length) & mask;
  for (;;) {
    const entry = slots[slot]! - 1;
    if (entry < 0) return median;
    const start = starts[entry]!;
    if (ends[entry]! - start === word.length && text.startsWith(word, start)) return values[entry]!;
    slot = (slot + 1) & mask;
  }
}
