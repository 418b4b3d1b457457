import { hanBigrams, latinTokens, normalizeText } from '../text/tokenize.js';
import type { Chunk } from '../types.js';
import { KeywordIndex } from './bm25.js';
import { chineseDate } from './context.js';
import type { StoredDocument } from './store.js';

/** What presence reads of a keyword index: how many passages hold a term, and which. */
export interface TermPostings {
  documentFrequency(term: string): number;
  /** Positions in ascending order, until `visit` returns true. */
  someChunk(term: string, visit: (position: number) => boolean): boolean;
}

/**
 * Whether the articles contain a term — a question's name, number or word, or a stretch of it —
 * in a passage's text or in an article's title, session or date, both sides normalised
 * (normalizeText). This is how a question about something no article mentions is told apart.
 *
 * A passage holding the term holds the term's Han bigrams and its Latin words and numbers too,
 * and the keyword index lists the passages holding each. So only the passages of the rarest of
 * them (narrowed by the next ones while many are left) are read, with `includes`. Titles,
 * sessions and dates are few and short: a keyword index of their own, built the same way.
 *
 * - A number or Latin word of the term must be a whole one of the passage, as keyword search
 *   reads it: "2025" is not found in "12025", nor "ai" in "said".
 * - Each passage and field is its own text: a match runs neither across two passages or fields
 *   nor across punctuation ("企业中,有" does not hold "中有").
 * - A term with none of those pieces (one Han character, or stopword bigrams only: 我们) is
 *   looked for in every passage in turn (~5 ms at 100k passages).
 */
export class Presence {
  private readonly passages: Texts;
  private readonly fields: Texts;

  constructor(documents: Iterable<StoredDocument>, chunks: readonly Chunk[], keywords: TermPostings) {
    this.passages = new Texts((position) => chunks[position]!.text, chunks.length, keywords);
    const fields = new Set<string>();
    for (const document of documents) {
      for (const field of [document.title, document.session, chineseDate(document.date), document.date]) if (field) fields.add(normalizeText(field));
    }
    const texts = [...fields];
    this.fields = new Texts((position) => texts[position]!, texts.length, KeywordIndex.build(texts.map(piecesOf)));
  }

  /** Whether the articles contain the term, or for "a|b" one of its alternatives. */
  holds(term: string): boolean {
    return term.split('|').some((alternative) => this.includes(alternative));
  }

  includes(term: string): boolean {
    const normalized = normalizeText(term);
    if (!normalized) return true;
    return this.fields.include(normalized) || this.passages.include(normalized);
  }
}

/** The indexed pieces every occurrence of a (normalised) text brings with it. */
function piecesOf(normalized: string): string[] {
  return [...hanBigrams(normalized), ...latinTokens(normalized)];
}

/** How many passages of the rarest piece are read before the others narrow them: a term asked about is usually there. */
const PROBES = 8;
/** While more candidates than this are left, the next piece's postings narrow them. */
const FEW_CANDIDATES = 64;
/** Texts by position, with the postings of their pieces. */
class Texts {
  /** 1 where the text is already normalised (most are: ~98% of passages), so it is read as it is. */
  private readonly normalised: Uint8Array;

  constructor(
    private readonly text: (position: number) => string,
    private readonly count: number,
    private readonly postings: TermPostings,
  ) {
    this.normalised = new Uint8Array(count);
    for (let position = 0; position < count; position++) {
      const written = text(position);
      if (normalizeText(written) === written) this.normalised[position] = 1;
    }
  }

  include(term: string): boolean {
    const pieces = [...new Set(piecesOf(term))].map((piece) => ({ piece, size: this.postings.documentFrequency(piece) }));
    if (pieces.length === 0) {
      for (let position = 0; position < this.count; position++) if (this.holds(position, term)) return true;
      return false;
    }
    if (pieces.some((piece) => piece.size === 0)) return false;
    pieces.sort((a, b) => a.size - b.size);
    let probed = 0;
    let found = false;
    this.postings.someChunk(pieces[0]!.piece, (position) => (found = this.holds(position, term)) || ++probed >= PROBES);
    if (found || probed < PROBES) return found;
    let candidates: number[] = [];
    this.postings.someChunk(pieces[0]!.piece, (position) => {
      candidates.push(position);
      return false;
    });
    for (let i = 1; i < pieces.length && candidates.length > FEW_CANDIDATES; i++) candidates = this.narrow(candidates, pieces[i]!.piece);
    return candidates.some((position) => this.holds(position, term));
  }

  private holds(position: number, term: string): boolean {
    const text = this.text(position);
    return (this.normalised[position] ? text : normalizeText(text)).includes(term);
  }

  /** The candidates (ascending) that the piece's postings also list. */
  private narrow(candidates: number[], piece: string): number[] {
    const kept: number[] = [];
    let i = 0;
    this.postings.someChunk(piece, (position) => {
      while (i < candidates.length && candidates[i]! < position) i++;
      if (i === candidates.length) return true;
      if (candidates[i] === position) kept.push(position);
      return false;
    });
    return kept;
  }
}
