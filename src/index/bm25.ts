/**
 * Okapi BM25 over an inverted index: a query touches only the postings of its own terms,
 * never every chunk. Terms come from `searchTerms` (jieba words, Han bigrams, Latin tokens).
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

export class KeywordIndex {
  private readonly averageLength: number;
  private readonly postings: Map<string, number[]>;

  constructor(private readonly data: KeywordIndexData, private readonly k1 = 1.2, private readonly b = 0.75) {
    this.postings = new Map(Object.entries(data.postings));
    const total = data.lengths.reduce((sum, length) => sum + length, 0);
    this.averageLength = data.lengths.length ? total / data.lengths.length : 1;
  }

  static build(termsByChunk: string[][]): KeywordIndex {
    const postings: Record<string, number[]> = Object.create(null);
    termsByChunk.forEach((terms, position) => {
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, count] of counts) (postings[term] ??= []).push(position, count);
    });
    return new KeywordIndex({ lengths: termsByChunk.map((terms) => terms.length), postings });
  }

  get size(): number {
    return this.data.lengths.length;
  }

  toJSON(): KeywordIndexData {
    return this.data;
  }

  /** Number of chunks containing the term. */
  documentFrequency(term: string): number {
    return (this.postings.get(term)?.length ?? 0) / 2;
  }

  /** BM25 IDF (the "plus one" form: never negative). */
  idf(term: string): number {
    const n = this.documentFrequency(term);
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  search(queryTerms: string[], k: number, allowed?: (position: number) => boolean): KeywordHit[] {
    const scores = new Map<number, number>();
    for (const term of new Set(queryTerms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      // Bigrams duplicate the words they overlap: half weight keeps words in charge.
      const weight = term.startsWith('~') ? 0.5 : 1;
      for (let i = 0; i < list.length; i += 2) {
        const position = list[i]!;
        if (allowed && !allowed(position)) continue;
        const frequency = list[i + 1]!;
        const length = this.data.lengths[position]!;
        const score = (weight * idf * frequency * (this.k1 + 1)) / (frequency + this.k1 * (1 - this.b + (this.b * length) / this.averageLength));
        scores.set(position, (scores.get(position) ?? 0) + score);
      }
    }
    return [...scores]
      .map(([position, score]) => ({ position, score }))
      .sort((a, b) => b.score - a.score || a.position - b.position)
      .slice(0, k);
  }
}
