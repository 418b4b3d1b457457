import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// jieba ships inverse document frequencies computed over a large general Chinese corpus.
// Using them (rather than this corpus' own counts) keeps a chunk's lexical vector independent
// of the other articles, so adding an article never changes the vectors of the rest.
let table: Map<string, number> | undefined;
let median = 10;

function load(): Map<string, number> {
  if (table) return table;
  const file = createRequire(import.meta.url).resolve('@node-rs/jieba/idf.txt');
  table = new Map();
  const values: number[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const space = line.lastIndexOf(' ');
    if (space <= 0) continue;
    const value = Number(line.slice(space + 1));
    table.set(line.slice(0, space), value);
    values.push(value);
  }
  values.sort((a, b) => a - b);
  median = values[Math.floor(values.length / 2)] ?? median;
  return table;
}

/** General-language IDF of a word; words jieba has never seen (names, new terms) count as rare. */
export function generalIdf(word: string): number {
  return load().get(word) ?? median;
}
