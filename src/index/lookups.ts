/**
 * Per-index lookups that question analysis and retrieval would otherwise redo by scanning the
 * whole archive on every question: the members the articles introduce, found in a text by name;
 * the chunk positions of each document; the documents dated in a year; the years the texts name.
 */
import type { Person } from '../corpus/people.js';
import type { ForumIndex } from './forum-index.js';
import type { Chunk } from '../types.js';

/**
 * Finds which of a fixed list of strings occur in a text, as `text.includes(name)` for each
 * would, but by looking up the text's substrings of the lengths the names have: the cost
 * follows the text, not the list.
 */
export class NameFinder<T> {
  /** name → positions in `items` of the items with that name, ascending. */
  private readonly positions = new Map<string, number[]>();
  /** Distinct name lengths (UTF-16 units, as `includes` counts), shortest first. */
  private readonly lengths: number[];
  /** Items whose name is empty: `includes('')` is true of every text. */
  private readonly always: number[] = [];

  constructor(
    readonly items: readonly T[],
    nameOf: (item: T) => string,
  ) {
    items.forEach((item, position) => {
      const name = nameOf(item);
      if (name.length === 0) {
        this.always.push(position);
        return;
      }
      push(this.positions, name, position);
    });
    this.lengths = [...new Set([...this.positions.keys()].map((name) => name.length))].sort((a, b) => a - b);
  }

  /** The names that occur in `text`, each once (in no particular order). */
  namesIn(text: string): Set<string> {
    const found = new Set<string>();
    if (this.lengths.length === 0) return found;
    for (let start = 0; start < text.length; start++) {
      for (const length of this.lengths) {
        if (start + length > text.length) break;
        const candidate = text.slice(start, start + length);
        if (this.positions.has(candidate)) found.add(candidate);
      }
    }
    return found;
  }

  /** Exactly `items.filter((item) => text.includes(nameOf(item)))`: the same items in the same order. */
  in(text: string): T[] {
    return this.ofNames(this.namesIn(text));
  }

  /** The items with any of these names, in list order (as a filter on the list would give them). */
  ofNames(names: Iterable<string>): T[] {
    return this.positionsOf(names).map((position) => this.items[position]!);
  }

  /** The positions in `items` of the items with any of these (distinct) names, ascending. */
  positionsOf(names: Iterable<string>): number[] {
    const hits = [...this.always];
    let lists = this.always.length ? 1 : 0;
    for (const name of names) {
      const list = this.positions.get(name);
      if (!list) continue;
      for (const position of list) hits.push(position);
      lists++;
    }
    if (lists > 1) hits.sort((a, b) => a - b);
    return hits;
  }

  /** True when some item has exactly this name. */
  has(name: string): boolean {
    return this.positions.has(name) || (name.length === 0 && this.always.length > 0);
  }
}

export interface PeopleLookup {
  /** Every member of every document, in document order: `[...documents.values()].flatMap((d) => d.people)`. */
  everyone: readonly Person[];
  /** Their distinct names, in order of first appearance. */
  names: readonly string[];
  finder: NameFinder<Person>;
}

/** `build(key)`, computed once per key object and kept as long as the key lives. */
export function cachedPer<K extends object, T>(build: (key: K) => T): (key: K) => T {
  const cache = new WeakMap<K, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key)!;
    const value = build(key);
    cache.set(key, value);
    return value;
  };
}

/** The members the index's articles introduce, with a finder by name (built once per index). */
export const peopleLookup = cachedPer((index: ForumIndex): PeopleLookup => {
  const everyone = [...index.documents.values()].flatMap((document) => document.people);
  return { everyone, names: [...new Set(everyone.map((person) => person.name))], finder: new NameFinder(everyone, (person) => person.name) };
});

/** Every member whose name occurs in `text`, in document order, as a filter over everyone gives. */
export function peopleIn(index: ForumIndex, text: string): Person[] {
  return peopleLookup(index).finder.in(text);
}

/** docId → the chunk positions of that document, ascending. */
const chunkPositions = cachedPer((index: ForumIndex) => {
  const positions = new Map<string, number[]>();
  index.chunks.forEach((chunk, position) => push(positions, chunk.docId, position));
  return positions;
});

/** The chunks of one document, in order (a lookup, not a scan of every chunk). */
export function chunksOf(index: ForumIndex, docId: string): Chunk[] {
  return (chunkPositions(index).get(docId) ?? []).map((position) => index.chunks[position]!);
}

/** The chunk right after this one in its document, if any. */
export function nextChunk(index: ForumIndex, chunk: { docId: string; ordinal: number }): Chunk | undefined {
  return chunksOf(index, chunk.docId).find((other) => other.ordinal === chunk.ordinal + 1);
}

const chunkIds = cachedPer((index: ForumIndex) => new Map(index.chunks.map((chunk) => [chunk.id, chunk])));

/** The chunk with this id. */
export function chunkWithId(index: ForumIndex, id: string): Chunk | undefined {
  return chunkIds(index).get(id);
}

/** A mask over chunk positions: 1 where the chunk belongs to one of `documentIds`. */
export function documentMask(index: ForumIndex, documentIds: Iterable<string>): Uint8Array {
  const mask = new Uint8Array(index.chunks.length);
  const positions = chunkPositions(index);
  for (const id of documentIds) for (const position of positions.get(id) ?? []) mask[position] = 1;
  return mask;
}

/** The documents in order, and year ("2025") → the positions in that order of the documents dated in it. */
const datedDocuments = cachedPer((index: ForumIndex) => {
  const documents = [...index.documents.values()];
  const byYear = new Map<string, number[]>();
  documents.forEach((document, position) => {
    if (document.date) push(byYear, document.date.slice(0, 4), position);
  });
  return { documents, byYear };
});

/**
 * The ids of the documents dated in any of these years ("2025"), in document order: what
 * `[...documents.values()].filter((d) => d.date && years.has(d.date.slice(0, 4)))` gives.
 */
export function documentsDatedIn(index: ForumIndex, years: Iterable<string>): string[] {
  const { documents, byYear } = datedDocuments(index);
  const positions = [...new Set(years)].flatMap((year) => byYear.get(year) ?? []);
  return positions.sort((a, b) => a - b).map((position) => documents[position]!.id);
}

/** Every "20xx" that occurs anywhere in a document's text (as `text.includes(year)` finds it). */
export const yearsInTexts = cachedPer((index: ForumIndex): ReadonlySet<string> => {
  const years = new Set<string>();
  for (const { text } of index.documents.values()) {
    // Every occurrence, overlapping ones too: "202023" holds both 2020 and 2023.
    for (let at = text.indexOf('20'); at >= 0; at = text.indexOf('20', at + 1)) {
      if (isDigit(text.charCodeAt(at + 2)) && isDigit(text.charCodeAt(at + 3))) years.add(text.slice(at, at + 4));
    }
  }
  return years;
});

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
