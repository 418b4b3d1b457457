import { FNV_OFFSET_BASIS, FNV_PRIME, fnv1a } from '../text/fnv-hash.js';
import { KeywordIndexBuilder, tablesFromData } from './keyword-builder.js';
import { decodeKeywordTables, encodeKeywordTables, readVarint, varintEnd, type KeywordIndexData, type KeywordTables } from './keyword-codec.js';

export { KEYWORD_FORMAT_VERSION, type KeywordIndexData } from './keyword-codec.js';

/**
 * Okapi BM25 over an inverted index: a query touches only the postings of its own terms,
 * never every chunk. Terms come from `searchTerms` (jieba words, Han bigrams, Latin tokens).
 *
 * In memory and on disk (keywords.bin, see keyword-codec.ts) the index is compact and needs no
 * parsing: chunk lengths and per-term offsets are typed arrays, the terms are one string with an
 * open-addressing hash table over it, and each term's postings are delta-coded varints in one
 * byte array (~1.3 bytes a posting instead of two JSON numbers). keyword-builder.ts makes it.
 * Scores accumulate in a reused Float64Array. Results, scores included, are bit-for-bit those of
 * the straightforward Map-based version.
 */
export interface KeywordHit {
  position: number;
  score: number;
}

interface QueryTerm {
  id: number;
  /** weight · idf */
  factor: number;
}

export class KeywordIndex {
  private readonly compact: KeywordTables;
  private readonly averageLength: number;
  /** k1 · (1 − b + b · length / averageLength), by chunk: the length part of BM25's denominator. */
  private readonly norms: Float64Array;
  /** Open addressing over term ids: id + 1, 0 = empty; length is a power of two. */
  private readonly slots: Int32Array;
  private scores?: Float64Array;
  private touched?: Int32Array;

  constructor(data: KeywordIndexData | KeywordTables, private readonly k1 = 1.2, private readonly b = 0.75) {
    this.compact = data instanceof Object && 'termStarts' in data ? data : tablesFromData(data);
    const { lengths } = this.compact;
    let total = 0;
    for (let i = 0; i < lengths.length; i++) total += lengths[i]!;
    this.averageLength = lengths.length ? total / lengths.length : 1;
    this.norms = new Float64Array(lengths.length);
    for (let i = 0; i < lengths.length; i++) this.norms[i] = this.k1 * (1 - this.b + (this.b * lengths[i]!) / this.averageLength);
    this.slots = hashTable(this.compact.terms, this.compact.termStarts);
  }

  static build(termsByChunk: string[][]): KeywordIndex {
    const builder = new KeywordIndexBuilder();
    for (const terms of termsByChunk) builder.add(terms);
    return new KeywordIndex(builder.finish());
  }

  /** Reads keywords.bin (see toBinary). Throws on a malformed file. */
  static fromBinary(bytes: Uint8Array, k1?: number, b?: number): KeywordIndex {
    return new KeywordIndex(decodeKeywordTables(bytes), k1, b);
  }

  get size(): number {
    return this.compact.lengths.length;
  }

  /** Number of distinct terms. */
  get termCount(): number {
    return this.compact.documentFrequencies.length;
  }

  /** The plain form (term → postings); large: for tests and tools, not for serving. */
  toJSON(): KeywordIndexData {
    const postings: Record<string, number[]> = Object.create(null);
    for (let id = 0; id < this.termCount; id++) {
      const list: number[] = [];
      this.forEachPosting(id, (position, frequency) => {
        list.push(position, frequency);
      });
      postings[this.term(id)] = list;
    }
    return { lengths: Array.from(this.compact.lengths), postings };
  }

  /** keywords.bin: a little-endian header, the typed arrays, the terms (UTF-8) and the postings. */
  toBinary(): Uint8Array {
    return encodeKeywordTables(this.compact);
  }

  /** Number of chunks containing the term. */
  documentFrequency(term: string): number {
    const id = this.termId(term);
    return id < 0 ? 0 : this.compact.documentFrequencies[id]!;
  }

  /**
   * Number of chunks containing the Han bigram of the two UTF-16 code units, i.e.
   * `documentFrequency('~' + first + second)` without building the string.
   */
  bigramFrequency(first: number, second: number): number {
    const { terms, termStarts } = this.compact;
    const mask = this.slots.length - 1;
    // fnv1a('~' + first + second), unrolled.
    let hash = Math.imul(FNV_OFFSET_BASIS ^ 0x7e, FNV_PRIME);
    hash = Math.imul(hash ^ first, FNV_PRIME);
    hash = Math.imul(hash ^ second, FNV_PRIME);
    for (let slot = (hash >>> 0) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]! - 1;
      if (id < 0) return 0;
      const start = termStarts[id]!;
      if (termStarts[id + 1]! - start === 3 && terms.charCodeAt(start) === 0x7e && terms.charCodeAt(start + 1) === first && terms.charCodeAt(start + 2) === second) {
        return this.compact.documentFrequencies[id]!;
      }
    }
  }

  /**
   * Calls `visit` with the position of every chunk containing the term, in ascending order,
   * until it returns true. Returns whether it did.
   */
  someChunk(term: string, visit: (position: number) => boolean): boolean {
    const id = this.termId(term);
    return id >= 0 && this.forEachPosting(id, (position) => visit(position));
  }

  /** BM25 IDF (the "plus one" form: never negative). */
  idf(term: string): number {
    return this.idfOf(this.documentFrequency(term));
  }

  /** The k best chunks for the terms (each counted once), best first, ties by position. */
  search(queryTerms: string[], k: number, allowed?: (position: number) => boolean): KeywordHit[] {
    const terms: QueryTerm[] = [];
    for (const term of new Set(queryTerms)) {
      const id = this.termId(term);
      if (id < 0) continue;
      // Bigrams duplicate the words they overlap: half weight keeps words in charge.
      terms.push({ id, factor: (term.startsWith('~') ? 0.5 : 1) * this.idfOf(this.compact.documentFrequencies[id]!) });
    }
    if (k <= 0 || terms.length === 0) return [];
    return this.searchExhaustive(terms, k, allowed);
  }

  /** Term at a time over every posting, scores in a reused Float64Array. */
  private searchExhaustive(terms: QueryTerm[], k: number, allowed?: (position: number) => boolean): KeywordHit[] {
    const size = this.size;
    this.scores ??= new Float64Array(size);
    this.touched ??= new Int32Array(size);
    const { scores, touched, norms } = this;
    const { postings, postingStarts } = this.compact;
    const k1Plus1 = this.k1 + 1;
    let touchedCount = 0;
    try {
      for (const term of terms) {
        touchedCount = accumulate(postings, postingStarts[term.id]!, postingStarts[term.id + 1]!, term.factor, k1Plus1, norms, scores, touched, touchedCount, allowed);
      }
      return topK(scores, touched, touchedCount, k);
    } finally {
      for (let i = 0; i < touchedCount; i++) scores[touched[i]!] = 0;
    }
  }

  private idfOf(n: number): number {
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  private term(id: number): string {
    return this.compact.terms.slice(this.compact.termStarts[id]!, this.compact.termStarts[id + 1]!);
  }

  private termId(term: string): number {
    const { terms, termStarts } = this.compact;
    const mask = this.slots.length - 1;
    let slot = fnv1a(term) & mask;
    for (;;) {
      const id = this.slots[slot]! - 1;
      if (id < 0) return -1;
      const start = termStarts[id]!;
      if (termStarts[id + 1]! - start === term.length && terms.startsWith(term, start)) return id;
      slot = (slot + 1) & mask;
    }
  }

  /** Visits the term's postings in position order until `visit` returns true; returns whether it did. */
  private forEachPosting(id: number, visit: (position: number, frequency: number) => boolean | void): boolean {
    const { postings, postingStarts } = this.compact;
    let position = -1;
    for (let at = postingStarts[id]!, end = postingStarts[id + 1]!; at < end; ) {
      const value = readVarint(postings, at);
      at = varintEnd;
      position += (value >>> 3) + 1;
      let frequency = value & 7;
      if (frequency === 0) {
        frequency = readVarint(postings, at);
        at = varintEnd;
      }
      if (visit(position, frequency) === true) return true;
    }
    return false;
  }
}

/**
 * Adds one term's BM25 contributions to `scores`, decoding its postings. The score is
 * computed with the same operations in the same order as the textbook form, so the doubles are
 * identical: (factor · frequency · (k1 + 1)) / (frequency + k1 · (1 − b + b · length / average)).
 * Returns the new number of touched chunks.
 */
function accumulate(
  postings: Uint8Array,
  start: number,
  end: number,
  factor: number,
  k1Plus1: number,
  norms: Float64Array,
  scores: Float64Array,
  touched: Int32Array,
  touchedCount: number,
  allowed: ((position: number) => boolean) | undefined,
): number {
  // Numerators for the common small frequencies (1–7), computed once per term (same expression).
  const numerators = [0, factor * 1 * k1Plus1, factor * 2 * k1Plus1, factor * 3 * k1Plus1, factor * 4 * k1Plus1, factor * 5 * k1Plus1, factor * 6 * k1Plus1, factor * 7 * k1Plus1];
  let position = -1;
  for (let at = start; at < end; ) {
    const value = readVarint(postings, at);
    at = varintEnd;
    position += (value >>> 3) + 1;
    let frequency = value & 7;
    let numerator: number;
    if (frequency === 0) {
      frequency = readVarint(postings, at);
      at = varintEnd;
      numerator = factor * frequency * k1Plus1;
    } else numerator = numerators[frequency]!;
    if (allowed !== undefined && !allowed(position)) continue;
    const score = numerator / (frequency + norms[position]!);
    const before = scores[position]!;
    // Every contribution is > 0 (idf > 0, frequency >= 1), so 0 means "not touched yet".
    if (before === 0) touched[touchedCount++] = position;
    scores[position] = before + score;
  }
  return touchedCount;
}

/** The k best (score descending, then position ascending) among the touched chunks. */
function topK(scores: Float64Array, touched: Int32Array, count: number, k: number): KeywordHit[] {
  const size = Math.min(k, count);
  if (size <= 0) return [];
  // A bounded min-heap on (score, −position): the root is the worst hit kept so far.
  const heap = new Int32Array(size);
  let length = 0;
  const worse = (a: number, b: number) => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < length && worse(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < length && worse(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  };
  for (let t = 0; t < count; t++) {
    const position = touched[t]!;
    if (length < size) {
      heap[length] = position;
      let i = length++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (worse(heap[0]!, position)) {
      heap[0] = position;
      siftDown(0);
    }
  }
  const hits: KeywordHit[] = [];
  for (let i = 0; i < length; i++) hits.push({ position: heap[i]!, score: scores[heap[i]!]! });
  return hits.sort((a, b) => b.score - a.score || a.position - b.position);
}

/** The term dictionary's open-addressing table: slot → term id + 1 (0 = empty), at most half full. */
function hashTable(terms: string, termStarts: Uint32Array): Int32Array {
  const termCount = termStarts.length - 1;
  let capacity = 2;
  while (capacity < termCount * 2) capacity *= 2;
  const slots = new Int32Array(capacity);
  const mask = capacity - 1;
  for (let id = 0; id < termCount; id++) {
    let slot = fnv1a(terms, termStarts[id]!, termStarts[id + 1]!) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = id + 1;
  }
  return slots;
}
