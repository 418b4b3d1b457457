import { MAX_POSTING_BYTES, writePosting, type KeywordIndexData, type KeywordTables } from './keyword-codec.js';

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

  /** The index's tables (for `new KeywordIndex`); interned terms that no chunk holds are left out. */
  finish(): KeywordTables {
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
    let buffer = this.buffers[id];
    const used = this.used[id]!;
    if (!buffer || used + MAX_POSTING_BYTES > buffer.length) {
      const grown = new Uint8Array(buffer ? buffer.length * 2 + MAX_POSTING_BYTES : 16);
      if (buffer) grown.set(buffer.subarray(0, used));
      this.buffers[id] = buffer = grown;
    }
    this.used[id] = writePosting(buffer, used, gap, frequency);
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
}

/** The tables of the plain form (term → postings), encoded as the builder would. */
export function tablesFromData(data: KeywordIndexData): KeywordTables {
  // Postings re-encoded chunk by chunk, in position order, as the builder makes them.
  const terms = Object.keys(data.postings);
  const perChunk: [string, number][][] = data.lengths.map(() => []);
  for (const term of terms) {
    const list = data.postings[term]!;
    for (let i = 0; i < list.length; i += 2) perChunk[list[i]!]?.push([term, list[i + 1]!]);
  }
  const builder = new KeywordIndexBuilder();
  perChunk.forEach((entries, position) => builder.addCounts(entries, data.lengths[position]!));
  return builder.finish();
}
