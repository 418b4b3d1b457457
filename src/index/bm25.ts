/**
 * Okapi BM25 over an inverted index: a query touches only the postings of its own terms,
 * never every chunk. Terms come from `searchTerms` (jieba words, Han bigrams, Latin tokens).
 *
 * In memory and on disk (keywords.bin) the index is compact and needs no parsing: chunk lengths
 * and per-term offsets are typed arrays, the terms are one string with an open-addressing hash
 * table over it, and each term's postings are delta-coded varints in one byte array
 * (~1.3 bytes a posting instead of two JSON numbers). Scores accumulate in a reused Float64Array.
 * Results, scores included, are bit-for-bit those of the straightforward Map-based version.
 */
export interface KeywordIndexData {
  /** Number of terms in each chunk, by chunk position. */
  lengths: number[];
  /** term → flat [chunkPosition, termFrequency, chunkPosition, termFrequency, …]. */
  postings: Record<string, number[]>;
}

export interface KeywordHit {
  position: number;
  score: number;
}

/** Bump when the layout of keywords.bin changes. */
export const KEYWORD_FORMAT_VERSION = 1;
const MAGIC = 0x574b5043; // "CPKW" little-endian
const HEADER_WORDS = 8;

interface QueryTerm {
  id: number;
  /** weight · idf */
  factor: number;
}

/** The compact form: what keywords.bin holds, as typed arrays. */
interface Compact {
  lengths: Uint32Array;
  /** All terms, end to end; term i is terms.slice(termStarts[i], termStarts[i + 1]). */
  terms: string;
  termStarts: Uint32Array;
  documentFrequencies: Uint32Array;
  /** Byte range of term i's postings: [postingStarts[i], postingStarts[i + 1]). */
  postingStarts: Uint32Array;
  postings: Uint8Array;
}

export class KeywordIndex {
  private readonly compact: Compact;
  private readonly averageLength: number;
  /** k1 · (1 − b + b · length / averageLength), by chunk: the length part of BM25's denominator. */
  private readonly norms: Float64Array;
  /** Open addressing over term ids: id + 1, 0 = empty; length is a power of two. */
  private readonly slots: Int32Array;
  private scores?: Float64Array;
  private touched?: Int32Array;

  constructor(data: KeywordIndexData | Compact, private readonly k1 = 1.2, private readonly b = 0.75) {
    this.compact = data instanceof Object && 'termStarts' in data ? data : compactFromData(data);
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
    return builder.finish();
  }

  /** Reads keywords.bin (see toBinary). Throws on a malformed file. */
  static fromBinary(bytes: Uint8Array, k1?: number, b?: number): KeywordIndex {
    return new KeywordIndex(decodeBinary(bytes), k1, b);
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
    return encodeBinary(this.compact);
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
    // hashRange('~' + first + second), unrolled.
    let hash = Math.imul(0x811c9dc5 ^ 0x7e, 0x01000193);
    hash = Math.imul(hash ^ first, 0x01000193);
    hash = Math.imul(hash ^ second, 0x01000193);
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
    let slot = hashRange(term, 0, term.length) & mask;
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
      let value = 0;
      let scale = 1;
      let byte: number;
      do {
        byte = postings[at++]!;
        value += (byte & 0x7f) * scale;
        scale *= 128;
      } while (byte & 0x80);
      position += (value >>> 3) + 1;
      let frequency = value & 7;
      if (frequency === 0) {
        scale = 1;
        do {
          byte = postings[at++]!;
          frequency += (byte & 0x7f) * scale;
          scale *= 128;
        } while (byte & 0x80);
      }
      if (visit(position, frequency) === true) return true;
    }
    return false;
  }
}

/**
 * Adds one term's BM25 contributions to `scores`, decoding its postings:
 * varint((gap − 1) · 8 + (frequency < 8 ? frequency : 0)) [varint(frequency)]. The score is
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
  // Numerators for the common small frequencies, computed once per term (same expression).
  const numerators = [0, factor * 1 * k1Plus1, factor * 2 * k1Plus1, factor * 3 * k1Plus1, factor * 4 * k1Plus1, factor * 5 * k1Plus1, factor * 6 * k1Plus1, factor * 7 * k1Plus1];
  let position = -1;
  for (let at = start; at < end; ) {
    let value = postings[at++]!;
    if (value >= 128) {
      value &= 127;
      let scale = 128;
      let byte: number;
      do {
        byte = postings[at++]!;
        value += (byte & 127) * scale;
        scale *= 128;
      } while (byte >= 128);
    }
    position += (value >>> 3) + 1;
    let frequency = value & 7;
    let numerator: number;
    if (frequency === 0) {
      let scale = 1;
      let byte: number;
      do {
        byte = postings[at++]!;
        frequency += (byte & 127) * scale;
        scale *= 128;
      } while (byte >= 128);
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

/**
 * Builds the index one chunk at a time, in position order, without keeping the chunks' term
 * lists: each term's postings grow as varint bytes in its own buffer. Terms can be interned
 * first (intern → id, then addIds): ingest tokenises a passage once and reuses its ids.
 */
export class KeywordIndexBuilder {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private buffers: (Uint8Array | undefined)[] = [];
  private used = new Int32Array(1024);
  private last = new Int32Array(1024).fill(-1);
  private frequencies = new Int32Array(1024);
  /** Scratch: occurrences of each id in the chunk being added. */
  private counts = new Int32Array(1024);
  private readonly order: number[] = [];
  private readonly lengths: number[] = [];

  /** The id of a term, adding it to the dictionary (a term never added to a chunk is left out of the index). */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      if (id >= this.used.length) this.grow();
    }
    return id;
  }

  termOf(id: number): string {
    return this.terms[id]!;
  }

  /** Adds the next chunk (position = number of chunks added before it). */
  add(terms: readonly string[]): void {
    this.addIds(terms.map((term) => this.intern(term)));
  }

  /** Adds the next chunk as interned term ids (its length is the number of ids). */
  addIds(ids: ArrayLike<number>, length = ids.length): void {
    const { counts, order } = this;
    order.length = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const count = counts[id]!;
      counts[id] = count + 1;
      if (count === 0) order.push(id);
    }
    const position = this.startChunk(length);
    for (const id of order) {
      this.posting(id, position, counts[id]!);
      counts[id] = 0;
    }
  }

  /** Adds the next chunk as term → frequency, with its length in terms. */
  addCounts(entries: Iterable<[string, number]>, length: number): void {
    const resolved = [...entries].map(([term, frequency]) => [this.intern(term), frequency] as const);
    const position = this.startChunk(length);
    for (const [id, frequency] of resolved) this.posting(id, position, frequency);
  }

  finish(): KeywordIndex {
    return new KeywordIndex(this.compact());
  }

  /** @internal The compact form; interned terms that no chunk holds are left out. */
  compact(): Compact {
    const kept: number[] = [];
    for (let id = 0; id < this.terms.length; id++) if (this.frequencies[id]! > 0) kept.push(id);
    const termCount = kept.length;
    const termStarts = new Uint32Array(termCount + 1);
    const postingStarts = new Uint32Array(termCount + 1);
    const documentFrequencies = new Uint32Array(termCount);
    let chars = 0;
    let bytes = 0;
    kept.forEach((id, i) => {
      termStarts[i] = chars;
      postingStarts[i] = bytes;
      documentFrequencies[i] = this.frequencies[id]!;
      chars += this.terms[id]!.length;
      bytes += this.used[id]!;
    });
    termStarts[termCount] = chars;
    postingStarts[termCount] = bytes;
    const postings = new Uint8Array(bytes);
    kept.forEach((id, i) => postings.set(this.buffers[id]!.subarray(0, this.used[id]!), postingStarts[i]!));
    return {
      lengths: Uint32Array.from(this.lengths),
      terms: kept.map((id) => this.terms[id]!).join(''),
      termStarts,
      documentFrequencies,
      postingStarts,
      postings,
    };
  }

  private startChunk(length: number): number {
    const position = this.lengths.length;
    if (position >= 2 ** 27) throw new RangeError('a keyword index holds at most 2^27 chunks');
    this.lengths.push(length);
    return position;
  }

  private posting(id: number, position: number, frequency: number): void {
    const gap = position - this.last[id]!;
    this.last[id] = position;
    this.frequencies[id]!++;
    this.write(id, (gap - 1) * 8 + (frequency < 8 ? frequency : 0));
    if (frequency >= 8) this.write(id, frequency);
  }

  private grow(): void {
    const size = this.used.length * 2;
    const grown = <T extends Int32Array>(array: T, fill = 0) => {
      const next = new Int32Array(size).fill(fill);
      next.set(array);
      return next;
    };
    this.used = grown(this.used);
    this.last = grown(this.last, -1);
    this.frequencies = grown(this.frequencies);
    this.counts = grown(this.counts);
  }

  private write(id: number, value: number): void {
    let buffer = this.buffers[id];
    let used = this.used[id]!;
    if (!buffer || used + 10 > buffer.length) {
      const grown = new Uint8Array(buffer ? buffer.length * 2 + 10 : 16);
      if (buffer) grown.set(buffer.subarray(0, used));
      this.buffers[id] = buffer = grown;
    }
    while (value >= 128) {
      buffer[used++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    buffer[used++] = value;
    this.used[id] = used;
  }
}

function compactFromData(data: KeywordIndexData): Compact {
  // Postings re-encoded chunk by chunk, in position order, as the builder makes them.
  const terms = Object.keys(data.postings);
  const perChunk: [string, number][][] = data.lengths.map(() => []);
  for (const term of terms) {
    const list = data.postings[term]!;
    for (let i = 0; i < list.length; i += 2) perChunk[list[i]!]?.push([term, list[i + 1]!]);
  }
  const builder = new KeywordIndexBuilder();
  perChunk.forEach((entries, position) => builder.addCounts(entries, data.lengths[position]!));
  return builder.compact();
}

function hashTable(terms: string, termStarts: Uint32Array): Int32Array {
  const termCount = termStarts.length - 1;
  let capacity = 2;
  while (capacity < termCount * 2) capacity *= 2;
  const slots = new Int32Array(capacity);
  const mask = capacity - 1;
  for (let id = 0; id < termCount; id++) {
    let slot = hashRange(terms, termStarts[id]!, termStarts[id + 1]!) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = id + 1;
  }
  return slots;
}

/** FNV-1a over the UTF-16 code units of text[start, end). */
function hashRange(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function encodeBinary(compact: Compact): Uint8Array {
  const terms = Buffer.from(compact.terms, 'utf8');
  const chunkCount = compact.lengths.length;
  const termCount = compact.documentFrequencies.length;
  const words = HEADER_WORDS + chunkCount + termCount + 2 * (termCount + 1);
  const bytes = new Uint8Array(words * 4 + terms.length + compact.postings.length);
  const view = new DataView(bytes.buffer);
  const header = [MAGIC, KEYWORD_FORMAT_VERSION, chunkCount, termCount, terms.length, compact.postings.length, compact.terms.length, 0];
  header.forEach((value, i) => view.setUint32(i * 4, value, true));
  let offset = HEADER_WORDS * 4;
  for (const array of [compact.lengths, compact.documentFrequencies, compact.termStarts, compact.postingStarts]) {
    for (let i = 0; i < array.length; i++, offset += 4) view.setUint32(offset, array[i]!, true);
  }
  bytes.set(terms, offset);
  bytes.set(compact.postings, offset + terms.length);
  return bytes;
}

function decodeBinary(bytes: Uint8Array): Compact {
  const fail = (why: string): never => {
    throw new RangeError(`not a keyword index (${why})`);
  };
  if (bytes.byteLength < HEADER_WORDS * 4) fail('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = Array.from({ length: HEADER_WORDS }, (_, i) => view.getUint32(i * 4, true));
  const [magic, version, chunkCount, termCount, termBytes, postingBytes, termChars] = header as [number, number, number, number, number, number, number];
  if (magic !== MAGIC) fail('bad magic number');
  if (version !== KEYWORD_FORMAT_VERSION) fail(`layout version ${version}, expected ${KEYWORD_FORMAT_VERSION}`);
  const words = HEADER_WORDS + chunkCount + termCount + 2 * (termCount + 1);
  if (bytes.byteLength !== words * 4 + termBytes + postingBytes) fail('wrong length');
  // Typed-array views need 4-byte alignment; a Buffer from a pool may not have it.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const u32 = (word: number, length: number) => new Uint32Array(aligned.buffer, aligned.byteOffset + word * 4, length);
  const lengths = u32(HEADER_WORDS, chunkCount);
  const documentFrequencies = u32(HEADER_WORDS + chunkCount, termCount);
  const termStarts = u32(HEADER_WORDS + chunkCount + termCount, termCount + 1);
  const postingStarts = u32(HEADER_WORDS + chunkCount + 2 * termCount + 1, termCount + 1);
  const termOffset = words * 4;
  const terms = Buffer.from(aligned.buffer, aligned.byteOffset + termOffset, termBytes).toString('utf8');
  if (terms.length !== termChars || termStarts[termCount] !== termChars || postingStarts[termCount] !== postingBytes) fail('inconsistent offsets');
  const postings = aligned.subarray(termOffset + termBytes, termOffset + termBytes + postingBytes);
  return { lengths, terms, termStarts, documentFrequencies, postingStarts, postings };
}
