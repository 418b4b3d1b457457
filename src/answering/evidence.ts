import { splitClauses, splitSentences, type Span } from '../chunking/sentences.js';
import { startsWithPronoun } from '../corpus/people.js';
import { chineseDate, speakerOf } from '../index/context.js';
import type { ForumIndex } from '../index/forum-index.js';
import type { StoredDocument } from '../index/store.js';
import { generalIdf } from '../text/idf.js';
import { normalizeText } from '../text/tokenize.js';
import type { RetrievedChunk } from '../types.js';

/**
 * How much a question term says: rare words more than common ones, numbers and names a lot.
 * A term may be a group of alternatives "固态电池|锂电池" (translations): it weighs as its best.
 */
export function termWeight(term: string): number {
  if (term.includes('|')) return Math.max(...term.split('|').map(termWeight));
  if (/^[a-z0-9.]+$/i.test(term)) return 8;
  return generalIdf(term);
}

/** True when the (normalised) text holds the term, or one of a group's alternatives. */
export function holds(text: string, term: string): boolean {
  return term.includes('|') ? term.split('|').some((alternative) => text.includes(alternative)) : text.includes(term);
}

/** Weighted share of the terms that occur in the text (0…1). */
export function coverage(terms: string[], text: string): number {
  if (terms.length === 0) return 0;
  const haystack = normalizeText(text);
  let total = 0;
  let found = 0;
  for (const term of terms) {
    const weight = termWeight(term);
    total += weight;
    if (holds(haystack, term)) found += weight;
  }
  return total ? found / total : 0;
}

/** A sentence of a retrieved passage, with what it is about. */
export interface Sentence {
  chunk: RetrievedChunk;
  /** Rank of its passage in retrieval (0 = best). */
  rank: number;
  document: StoredDocument;
  /** Offsets in the document. */
  start: number;
  end: number;
  text: string;
  /** The member speaking, when the article has introduced one. */
  speaker?: string;
  /** Terms to keep when the sentence is shortened (default: the question's). */
  focus?: string[];
}

export function sentencesOf(index: ForumIndex, chunk: RetrievedChunk, rank: number): Sentence[] {
  const document = index.documents.get(chunk.docId)!;
  return splitSentences(chunk.text, chunk.start)
    .map((span) => ({
      chunk,
      rank,
      document,
      start: span.start,
      end: span.end,
      text: document.text.slice(span.start, span.end),
      speaker: speakerOf(document, span),
    }))
    // Headings and fragments ("黄宇红展望道。") say nothing on their own.
    .filter((sentence) => !isHeadingLine(sentence.text) && sentence.text.length >= 10);
}

function isHeadingLine(text: string): boolean {
  return text.length <= 40 && !/[。！？；!?;，,]/.test(text);
}

/** The sentence with what a reader knows around it: which forum, which day, who speaks. */
export function sentenceContext(sentence: Sentence): string {
  const { document } = sentence;
  return [sentence.text, sentence.speaker ?? '', chineseDate(document.date), document.session ?? '', document.title].join(' ');
}

/** True when the sentence refers to its speaker only by pronoun, or names nobody. */
export function needsSpeaker(sentence: Sentence, shown: string): boolean {
  if (!sentence.speaker || shown.includes(sentence.speaker)) return false;
  return startsWithPronoun(sentence.text) || /[他她]/.test(shown) || sentence.text.includes(sentence.speaker) || /建议|表示|指出|认为/.test(shown);
}

/**
 * Shortens a long sentence to the run of clauses that holds most of the question's terms,
 * marking cuts with "…". Short sentences are returned whole.
 */
export function trimSentence(text: string, terms: string[], maxChars: number): string {
  if (text.length <= maxChars) return text;
  const clauses: Span[] = splitClauses(text);
  let best = { start: 0, end: Math.min(text.length, maxChars), score: -1 };
  for (let first = 0; first < clauses.length; first++) {
    for (let last = first; last < clauses.length; last++) {
      const start = clauses[first]!.start;
      const end = clauses[last]!.end;
      if (end - start > maxChars) break;
      // Prefer more of the question's terms, then the longer span (more of the answer).
      const score = coverage(terms, text.slice(start, end)) + (end - start) / (maxChars * 100);
      if (score > best.score) best = { start, end, score };
    }
  }
  let shown = text.slice(best.start, best.end).replace(/[，,、：:]$/, '');
  if (best.start > 0) shown = `…${shown}`;
  if (best.end < text.length) shown = `${shown}…`;
  return shown;
}
