import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/bench/random.js';
import { KeywordIndex, type KeywordIndexData } from '../../src/index/bm25.js';

/** The original Map-based BM25, kept as the reference the compact index must match bit for bit. */
function referenceSearch(data: KeywordIndexData, queryTerms: string[], k: number, allowed?: (position: number) => boolean) {
  const k1 = 1.2;
  const b = 0.75;
  const postings = new Map(Object.entries(data.postings));
  const averageLength = data.lengths.length ? data.lengths.reduce((sum, length) => sum + length, 0) / data.lengths.length : 1;
  const idf = (term: string) => {
    const n = (postings.get(term)?.length ?? 0) / 2;
    return Math.log(1 + (data.lengths.length - n + 0.5) / (n + 0.5));
  };
  const scores = new Map<number, number>();
  for (const term of new Set(queryTerms)) {
    const list = postings.get(term);
    if (!list) continue;
    const weight = term.startsWith('~') ? 0.5 : 1;
    for (let i = 0; i < list.length; i += 2) {
      const position = list[i]!;
      if (allowed && !allowed(position)) continue;
      const frequency = list[i + 1]!;
      const length = data.lengths[position]!;
      const score = (weight * idf(term) * frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * length) / averageLength));
      scores.set(position, (scores.get(position) ?? 0) + score);
    }
  }
  return [...scores]
    .map(([position, score]) => ({ position, score }))
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, k);
}

function randomCorpus(seed: number, chunks: number) {
  const random = createRandom(seed);
  const vocabulary = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `~词${i}` : i % 7 === 0 ? `w${i}` : `词语${i}`));
  // Zipf-ish: low ids are common; some chunks repeat a term many times (frequency escapes past 7).
  const pickTerm = () => vocabulary[Math.floor(vocabulary.length * random.next() ** 3)]!;
  const termsByChunk = Array.from({ length: chunks }, () => {
    const terms = Array.from({ length: random.int(0, 60) }, pickTerm);
    if (random.chance(0.1)) for (let i = random.int(8, 300); i > 0; i--) terms.push('重复');
    return terms;
  });
  const data: KeywordIndexData = { lengths: termsByChunk.map((terms) => terms.length), postings: Object.create(null) };
  termsByChunk.forEach((terms, position) => {
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) (data.postings[term] ??= []).push(position, count);
  });
  return { termsByChunk, data, vocabulary, random };
}

describe('compact BM25 index', () => {
  it('scores and ranks exactly as the Map-based reference, through the binary file too', () => {
    const { termsByChunk, data, vocabulary, random } = randomCorpus(7, 2500);
    const built = KeywordIndex.build(termsByChunk);
    const loaded = KeywordIndex.fromBinary(built.toBinary());
    const fromData = new KeywordIndex(data);
    for (let q = 0; q < 200; q++) {
      const query = Array.from({ length: random.int(1, 25) }, () => random.pick([...vocabulary, '重复', '没有的词']));
      const k = random.pick([1, 5, 30, 100, 5000]);
      const allowed = q % 4 === 0 ? (position: number) => position % 3 !== 1 : undefined;
      const expected = referenceSearch(data, query, k, allowed);
      for (const index of [built, loaded, fromData]) expect(index.search(query, k, allowed)).toEqual(expected);
    }
    for (const term of [...vocabulary, '重复', '没有的词']) {
      const df = (data.postings[term]?.length ?? 0) / 2;
      expect(loaded.documentFrequency(term)).toBe(df);
      expect(loaded.idf(term)).toBe(Math.log(1 + (2500 - df + 0.5) / (df + 0.5)));
    }
    expect(loaded.toJSON()).toEqual({ lengths: data.lengths, postings: { ...data.postings } });
    expect(loaded.size).toBe(2500);
  });

  it('handles an empty index and rejects a damaged file', () => {
    const empty = KeywordIndex.build([]);
    expect(empty.search(['a'], 5)).toEqual([]);
    expect(KeywordIndex.fromBinary(empty.toBinary()).size).toBe(0);
    const bytes = KeywordIndex.build([['甲', '乙'], ['乙']]).toBinary();
    expect(() => KeywordIndex.fromBinary(bytes.subarray(0, bytes.length - 1))).toThrow(/keyword index/);
    const wrong = bytes.slice();
    wrong[0] = 0;
    expect(() => KeywordIndex.fromBinary(wrong)).toThrow(/keyword index/);
  });

  it('writes keywords.bin little-endian and reads it back from any byte offset, searches unchanged', () => {
    const { termsByChunk, vocabulary, random } = randomCorpus(11, 400);
    const built = KeywordIndex.build(termsByChunk);
    const bytes = built.toBinary();
    // The header spelled out byte by byte: "CPKW", then version 1 and the chunk count, low byte first.
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('CPKW');
    expect([...bytes.subarray(4, 12)]).toEqual([1, 0, 0, 0, 400 & 0xff, 400 >> 8, 0, 0]);
    // At an odd offset inside a larger buffer (as a pooled Buffer can be), no Uint32Array view could read it.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 1);
    const loaded = KeywordIndex.fromBinary(shifted.subarray(1, 1 + bytes.length));
    expect(loaded.toJSON()).toEqual(built.toJSON());
    expect(loaded.termCount).toBe(built.termCount);
    for (let q = 0; q < 50; q++) {
      const query = Array.from({ length: random.int(1, 12) }, () => random.pick(vocabulary));
      expect(loaded.search(query, 20)).toEqual(built.search(query, 20));
    }
    expect(loaded.toBinary()).toEqual(bytes);
  });
});
