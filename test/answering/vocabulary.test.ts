import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusVocabulary, includesKept, removeSeparators } from '../../src/index/vocabulary.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { buildSeedIndex, temporaryDirectory } from '../support/seed-index.js';
import { acrossPunctuation, memoryIndex, naiveHolds, naiveTexts, naiveVocabulary, probes, random, syntheticIndex, type MemoryDocument } from './archive-fixtures.js';

/** Every probe answered as the naive whole-archive strings answer it; returns how many were present. */
function expectSameAnswers(index: ForumIndex, terms: string[]): { vocabulary: number; texts: number } {
  const vocabulary = naiveVocabulary(index);
  const texts = naiveTexts(index);
  const archive = corpusVocabulary(index);
  const wrong = { vocabulary: [] as string[], texts: [] as string[] };
  const present = { vocabulary: 0, texts: 0 };
  for (const term of terms) {
    const inVocabulary = vocabulary.includes(term);
    if (archive.vocabularyIncludes(term) !== inVocabulary) wrong.vocabulary.push(term);
    if (inVocabulary) present.vocabulary++;
    const inTexts = texts.includes(term);
    if (archive.textsInclude(term) !== inTexts) wrong.texts.push(term);
    if (inTexts) present.texts++;
  }
  expect(wrong).toEqual({ vocabulary: [], texts: [] });
  return present;
}

function allProbes(index: ForumIndex, count: number): string[] {
  const vocabulary = naiveVocabulary(index);
  const texts = naiveTexts(index);
  return [
    ...probes(vocabulary, texts, count),
    ...acrossPunctuation(texts, 1, 1),
    ...acrossPunctuation(texts, 2, 2),
    '',
    '会场',
    '报料邮箱',
    '中有',
  ];
}

describe('archive text: the vocabulary and texts without the whole-archive string', () => {
  const cleanups: (() => Promise<void>)[] = [];
  let seeds: ForumIndex;
  let synthetic: ForumIndex;
  beforeAll(async () => {
    const { dir, remove } = await temporaryDirectory();
    cleanups.push(remove);
    seeds = await buildSeedIndex(path.join(dir, 'seed-index'));
    synthetic = await syntheticIndex(path.join(dir, 'synthetic'), 400);
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it('answers every probe of the seed index as the naive strings do, including terms across punctuation', () => {
    const terms = allProbes(seeds, 20_000);
    const spanning = acrossPunctuation(naiveTexts(seeds), 1, 1);
    expect(spanning.length).toBeGreaterThan(100);
    const present = expectSameAnswers(seeds, terms);
    expect(present.vocabulary).toBeGreaterThan(terms.length / 4);
    expect(present.vocabulary).toBeLessThan(terms.length);
    // Across removed punctuation: present in the vocabulary, absent from the texts.
    expect(spanning.filter((term) => corpusVocabulary(seeds).vocabularyIncludes(term)).length).toBe(spanning.length);
    expect(spanning.some((term) => !corpusVocabulary(seeds).textsInclude(term))).toBe(true);
  });

  it('answers every substring of the seed vocabulary up to 6 units, and each with a unit changed', () => {
    const vocabulary = naiveVocabulary(seeds);
    const terms = new Set<string>();
    const next = random(7);
    for (let at = 0; at < vocabulary.length; at++) {
      for (let length = 1; length <= 6; length++) {
        const term = vocabulary.slice(at, at + length);
        terms.add(term);
        if (length >= 2) terms.add(term.slice(0, -1) + vocabulary[Math.floor(next() * vocabulary.length)]);
      }
    }
    expectSameAnswers(seeds, [...terms]);
  });

  it('answers every probe of a synthetic archive as the naive strings do', () => {
    expect(synthetic.corpus.chunks.length).toBeGreaterThan(380);
    const terms = allProbes(synthetic, 20_000);
    const present = expectSameAnswers(synthetic, terms);
    expect(present.vocabulary).toBeGreaterThan(terms.length / 4);
    expect(present.texts).toBeGreaterThan(terms.length / 8);
  });

  it('holds a group of alternatives when it holds one of them, as holds() on the string did', () => {
    const vocabulary = naiveVocabulary(synthetic);
    const archive = corpusVocabulary(synthetic);
    for (const term of ['固态电池|锂电池', '报料邮箱|会场', '会场|委员', '|', 'a|', '城市更新|养老服务', '固态电池']) {
      expect(archive.holds(term), term).toBe(naiveHolds(vocabulary, term));
    }
  });

  it('finds terms across the boundary between two documents, as the joined string did', () => {
    for (const index of [seeds, synthetic]) {
      const archive = corpusVocabulary(index);
      const documents = [...index.corpus.documents.values()];
      const parts = documents.map((document) => naiveVocabulary({ corpus: { documents: new Map([[document.id, document]]) } } as unknown as ForumIndex));
      let checked = 0;
      for (let d = 0; d + 1 < parts.length; d++) {
        for (const [before, after] of [[1, 1], [3, 2], [10, 14]]) {
          const term = parts[d]!.slice(-before!) + parts[d + 1]!.slice(0, after);
          expect(archive.vocabularyIncludes(term), term).toBe(true);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
      // Longer than a boundary window: scanned, with the same answer.
      const long = parts[0]!.slice(-20) + parts[1]!.slice(0, 20);
      expect(archive.vocabularyIncludes(long)).toBe(true);
      expect(archive.vocabularyIncludes(`${long}鿿`)).toBe(false);
    }
  });

  it('matches the naive strings on odd texts: uncovered text, compatibility forms, surrogates, stopwords, empty documents', () => {
    // One sentence of ~700 characters: cut at 360 without overlap, between 子 and 计. Neither
    // "子计算" nor (in the other article) "光电池" occurs elsewhere in its article, while
    // their bigrams do occur, in another article.
    const phrase = '北京市政协委员建议加快推进城市更新和轨道交通建设';
    const long = `${phrase.repeat(15).slice(0, 359)}子计算${phrase.repeat(14)}`;
    const filler = `${phrase}，${phrase}。`.repeat(5);
    const documents: MemoryDocument[] = [
      { id: 'a', title: '座谈会：城市更新', date: '2026-01-26', session: '北京市政协十四届四次会议', text: `${long}。\n\n委员们认为，我们一个也不能少。企业中,有人说：“好”。` },
      { id: 'g', title: '新材料', text: `${filler}\n\n硅光电池的研究。\n\n${filler}` },
      { id: 'h', title: '旧闻', text: '电子计数。计算器。光电效应。电池。' },
      { id: 'b', title: 'ＡＩ与６Ｇ', text: '株式会社㍿与⼀⼆三，全角ＡＢＣ和Ⅻ、㊀项。TESLA的CEO说Hello-World v2.0，增长6.5%。' },
      { id: 'c', title: '', text: '' },
      { id: 'd', title: '𠮷野家', text: '𠮷野家的😀企业😀中有，\ud83d孤立的\ude00代理项\ud840，𠀀字。Σσς ΣΑΣ。' },
      { id: 'e', title: '短', text: '有' },
      { id: 'f', title: '末篇', date: '2020-02-02', text: '他们已经没有了。我们可以同时因此但是。' },
    ];
    const indexes = [
      memoryIndex(documents),
      // Chunks missing: the keyword index lacks some of the text's bigrams.
      memoryIndex(documents, { dropChunks: (chunk) => chunk.ordinal === 1 }),
      // Built keeping stopwords: the index has bigrams this tokeniser leaves out.
      memoryIndex(documents, { keepStopwords: true }),
    ];
    expect(indexes[1]!.corpus.chunks.some((chunk) => chunk.docId === 'g' && chunk.text.includes('光电池'))).toBe(false);
    expect(indexes[0]!.corpus.chunks.some((chunk) => chunk.docId === 'a' && chunk.text.includes('子计算'))).toBe(false);
    for (const index of indexes) {
      expect(naiveTexts(index)).toContain('子计算');
      const vocabulary = naiveVocabulary(index);
      const texts = naiveTexts(index);
      const terms = new Set(allProbes(index, 3000));
      for (const text of [vocabulary, texts]) {
        for (let at = 0; at < text.length; at++) for (let length = 1; length <= 5; length++) terms.add(text.slice(at, at + length));
      }
      for (const term of ['子计算', '光电池', '我们', '一个', '没有', '中有', '株式', '式会', '㍿', 'ａｉ', 'ai', 'AI', '6g', '6.5', '\ud83d', '\ude00', '\ud83d\ude00', '😀', '企业😀中', '企业中', '\ud840', '𠀀', '\ud840\udc00', 'σς', 'σσ', '日末篇', '有短']) terms.add(term);
      expectSameAnswers(index, [...terms]);
    }
  });

  it('reads bigram frequencies and chunk positions from the keyword index as its plain form has them', () => {
    const { postings } = synthetic.keywords.toJSON();
    // Frequencies of 8 and more take a second varint, which must be skipped.
    expect(Object.values(postings).some((list) => list.some((value, i) => i % 2 === 1 && value >= 8))).toBe(true);
    let bigrams = 0;
    for (const [term, list] of Object.entries(postings)) {
      const positions = list.filter((_, i) => i % 2 === 0);
      const visited: number[] = [];
      expect(synthetic.keywords.someChunk(term, (position) => (visited.push(position), false))).toBe(false);
      expect(visited).toEqual(positions);
      if (term.startsWith('~') && term.length === 3) {
        expect(synthetic.keywords.bigramFrequency(term.charCodeAt(1), term.charCodeAt(2))).toBe(positions.length);
        bigrams++;
      }
    }
    expect(bigrams).toBeGreaterThan(1000);
    expect(synthetic.keywords.bigramFrequency('鿿'.charCodeAt(0), '鿿'.charCodeAt(0))).toBe(0);
    const [term, list] = Object.entries(postings).find(([, positions]) => positions.length >= 6)!;
    const seen: number[] = [];
    expect(synthetic.keywords.someChunk(term, (position) => (seen.push(position), seen.length === 2))).toBe(true);
    expect(seen).toEqual([list[0], list[2]]);
    expect(synthetic.keywords.someChunk('鿿鿿', () => true)).toBe(false);
  });

  it('removeSeparators and includesKept agree with the regular expression', () => {
    const texts = ['企业中,有', '  a b\tc\n', '', '，，，', '😀企😀业', '\ud83d,\ude00', 'x\ud83d', '\ude00x', '6.5%增长', naiveTexts(seeds).slice(0, 3000)];
    for (const text of texts) {
      const stripped = text.replace(/[\p{P}\p{S}\s]+/gu, '');
      expect(removeSeparators(text)).toBe(stripped);
      const terms = new Set<string>(['中有', '\ud83d\ude00', '企业', 'ab', 'bc', '5增']);
      for (let at = 0; at < stripped.length; at++) for (let length = 1; length <= 4; length++) terms.add(stripped.slice(at, at + length));
      for (const term of terms) expect(includesKept(text, term), JSON.stringify([text.slice(0, 20), term])).toBe(stripped.includes(term));
    }
  });
});
