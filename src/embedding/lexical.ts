import { generalIdf } from '../text/idf.js';
import { searchTerms, termFrequencies } from '../text/tokenize.js';
import { normalize, type Embedder } from './embedder.js';

export const LEXICAL_VERSION = 1;
export const DEFAULT_LEXICAL_DIMENSIONS = 512;

/**
 * The built-in embedder: no download, deterministic. Each jieba word, Han bigram and Latin
 * token gets a TF-IDF weight (general-language IDF), hashed with a sign into a fixed number of
 * dimensions (the "hashing trick"), then L2-normalised so cosine similarity works.
 */
export class LexicalEmbedder implements Embedder {
  readonly id: string;

  constructor(readonly dimensions = DEFAULT_LEXICAL_DIMENSIONS) {
    if (!Number.isInteger(dimensions) || dimensions < 16) throw new RangeError(`lexical dimensions must be an integer >= 16, got ${dimensions}`);
    this.id = `lexical:v${LEXICAL_VERSION}:${dimensions}`;
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedTerms(searchTerms(text)));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embedTerms(searchTerms(text));
  }

  /** For callers that already tokenised the text (ingest shares terms with keyword search). */
  embedTerms(terms: string[]): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const [term, count] of termFrequencies(terms)) {
      const hash = fnv1a(term);
      const sign = hash & 0x80000000 ? -1 : 1;
      vector[hash % this.dimensions]! += sign * (1 + Math.log(count)) * termIdf(term);
    }
    return normalize(vector);
  }

  /**
   * For ingest, which interns terms as ids (`termOf(id)` is the term): a function giving exactly
   * `embedTerms(ids.map(termOf))` — same operations in the same order, so the same bits — with each
   * term's hash and IDF computed once for the whole ingest instead of once per chunk.
   */
  idEmbedding(termOf: (id: number) => string): (ids: ArrayLike<number>) => Float32Array {
    const dimensions = this.dimensions;
    let buckets = new Int32Array(4096).fill(-1);
    let weights = new Float64Array(4096);
    let counts = new Int32Array(4096);
    const order: number[] = [];
    return (ids) => {
      order.length = 0;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (id >= counts.length) {
          const size = Math.max(id + 1, counts.length * 2);
          const grownBuckets = new Int32Array(size).fill(-1);
          grownBuckets.set(buckets);
          const grownWeights = new Float64Array(size);
          grownWeights.set(weights);
          const grownCounts = new Int32Array(size);
          grownCounts.set(counts);
          [buckets, weights, counts] = [grownBuckets, grownWeights, grownCounts];
        }
        const count = counts[id]!;
        counts[id] = count + 1;
        if (count === 0) order.push(id); // first-occurrence order, as termFrequencies' Map keeps
      }
      const vector = new Float32Array(dimensions);
      for (const id of order) {
        if (buckets[id]! < 0) {
          const term = termOf(id);
          const hash = fnv1a(term);
          buckets[id] = hash % dimensions;
          // sign · idf is exact (a sign flip), so (1 + log c) · (sign · idf) = sign · (1 + log c) · idf bit for bit.
          weights[id] = (hash & 0x80000000 ? -1 : 1) * termIdf(term);
        }
        const bucket = buckets[id]!;
        vector[bucket]! += (1 + Math.log(counts[id]!)) * weights[id]!;
        counts[id] = 0;
      }
      return normalize(vector);
    };
  }
}

/** Bigrams ("~ab") overlap the words they come from, so they weigh half. */
function termIdf(term: string): number {
  let idf = idfCache.get(term);
  if (idf === undefined) {
    idf = term.startsWith('~') ? 0.5 * generalIdf(term.slice(1)) : /^[a-z0-9.]+$/.test(term) ? 8 : generalIdf(term);
    // Terms repeat across chunks (the same few thousand bigrams and words): ingest looks each
    // up once. Bounded so a long-running bot does not grow it forever.
    if (idfCache.size >= 100_000) idfCache.clear();
    idfCache.set(term, idf);
  }
  return idf;
}
const idfCache = new Map<string, number>();

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across runs and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Parses "lexical:v1:512" back into an embedder; undefined for other ids. */
export function lexicalEmbedderFromId(id: string): LexicalEmbedder | undefined {
  const match = /^lexical:v(\d+):(\d+)$/.exec(id);
  if (!match || Number(match[1]) !== LEXICAL_VERSION) return undefined;
  return new LexicalEmbedder(Number(match[2]));
}
