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
}

/** Bigrams ("~ab") overlap the words they come from, so they weigh half. */
function termIdf(term: string): number {
  if (term.startsWith('~')) return 0.5 * generalIdf(term.slice(1));
  if (/^[a-z0-9.]+$/.test(term)) return 8;
  return generalIdf(term);
}

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
