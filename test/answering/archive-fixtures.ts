import { Corpus } from '../../src/index/corpus.js';
import path from 'node:path';
import { generateCorpus } from '../../src/bench/corpus.js';
import { chunkDocument } from '../../src/chunking/chunk.js';
import { KeywordIndex } from '../../src/index/bm25.js';
import { chineseDate, keywordText } from '../../src/index/context.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import type { StoredDocument } from '../../src/index/store.js';
import { normalizeText, searchTerms } from '../../src/text/tokenize.js';
import type { Chunk } from '../../src/types.js';
import { buildSeedIndex, REPO_SEEDS } from '../support/seed-index.js';

// Reference copies of the naive implementations the archive text replaced: the whole archive
// as one string, scanned for each term.

/** The old `corpusVocabulary(index)`. */
export function naiveVocabulary(index: ForumIndex): string {
  return normalizeText(
    [...index.corpus.documents.values()]
      .map((document) => [document.title, document.session, chineseDate(document.date), document.date, document.text].join('\n'))
      .join('\n'),
  ).replace(/[\p{P}\p{S}\s]+/gu, '');
}

/** The old lexicon's corpus. */
export function naiveTexts(index: ForumIndex): string {
  return normalizeText([...index.corpus.documents.values()].map((document) => document.text).join('\n'));
}

/** The old `holds(vocabulary, term)` (answering/evidence.ts). */
export function naiveHolds(vocabulary: string, term: string): boolean {
  return term.includes('|') ? term.split('|').some((alternative) => vocabulary.includes(alternative)) : vocabulary.includes(term);
}

/** The real index of a synthetic archive (src/bench/corpus.ts) of about `chunks` chunks. */
export async function syntheticIndex(dir: string, chunks: number, seed = 3): Promise<ForumIndex> {
  const corpus = await generateCorpus({ seedsDir: REPO_SEEDS, outDir: path.join(dir, 'seeds'), chunks, seed });
  return buildSeedIndex(path.join(dir, 'index'), corpus.dir);
}

export interface MemoryDocument {
  id: string;
  title: string;
  date?: string;
  session?: string;
  text: string;
}

/**
 * An index built in memory as ingest builds it (real chunker, keyword texts and tokeniser),
 * for texts no article file can hold (lone surrogates) or the cleaner would change.
 * `dropChunks` leaves some chunks out, as if the chunker had not covered that text.
 */
export function memoryIndex(documents: MemoryDocument[], options: { dropChunks?: (chunk: Chunk) => boolean; keepStopwords?: boolean } = {}): ForumIndex {
  const stored = new Map<string, StoredDocument>();
  const chunks: Chunk[] = [];
  for (const document of documents) {
    const full: StoredDocument = { ...document, file: `${document.id}.txt`, contentHash: '', people: [] };
    stored.set(document.id, full);
    for (const chunk of chunkDocument(full)) if (!options.dropChunks?.(chunk)) chunks.push(chunk);
  }
  const keywords = KeywordIndex.build(chunks.map((chunk) => searchTerms(keywordText(stored.get(chunk.docId)!, chunk), { keepStopwords: options.keepStopwords })));
  return { corpus: new Corpus(stored.values(), chunks), keywords } as unknown as ForumIndex;
}

/** A seeded generator of [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Terms to probe a text with: substrings of both references at many places (1–8 units), the
 * same with one unit changed (mostly absent), and pieces of the texts with their punctuation
 * and blanks removed (present in the vocabulary only across the removal: "企业中,有" → "中有").
 */
export function probes(vocabulary: string, texts: string, count: number, seed = 1): string[] {
  const next = random(seed);
  const pick = (text: string) => Math.floor(next() * text.length);
  const found = new Set<string>();
  for (let i = 0; i < count; i++) {
    for (const text of [vocabulary, texts]) {
      if (!text) continue;
      const at = pick(text);
      const piece = text.slice(at, at + 1 + Math.floor(next() * 8));
      found.add(piece);
      const change = Math.floor(next() * piece.length);
      found.add(piece.slice(0, change) + text[pick(text)] + piece.slice(change + 1));
    }
    const at = pick(texts);
    const spanning = texts.slice(at, at + 12);
    if (/[\p{P}\p{S}\s]/u.test(spanning)) found.add(spanning.replace(/[\p{P}\p{S}\s]+/gu, '').slice(0, 2 + Math.floor(next() * 6)));
  }
  return [...found];
}

/** The terms across each removed run of punctuation or blanks: the last `before` units ahead of it and the first `after` behind it. */
export function acrossPunctuation(texts: string, before: number, after: number): string[] {
  const terms = new Set<string>();
  for (const match of texts.matchAll(/(\p{Script=Han}+)[\p{P}\p{S}\s]+(\p{Script=Han}+)/gu)) {
    if (match[1]!.length >= before && match[2]!.length >= after) terms.add(match[1]!.slice(-before) + match[2]!.slice(0, after));
  }
  return [...terms];
}
