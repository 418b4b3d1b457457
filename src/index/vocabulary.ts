import { chineseDate } from './context.js';
import type { ForumIndex } from './forum-index.js';
import type { StoredDocument } from './store.js';
import { boundaryWindows, bmpClasses, classOf, Coverage, isHighSurrogate, isLowSurrogate, isSurrogate, KNOWN, lowerBound, PairBuilder, pairKey, REMOVED } from '../text/pair-index.js';
import { normalizeText } from '../text/tokenize.js';

/**
 * Everything a question could legitimately match, searchable without scanning the archive.
 *
 * Two texts are answered for, exactly as if they were built as strings (they are not: at 100k
 * chunks each would be ~20M characters, and every look-up would scan it):
 *
 * - the **vocabulary** `V`: the title, session, Chinese date, date and text of every document,
 *   each joined by "\n", normalised (`normalizeText`), with punctuation, symbols and blanks
 *   removed (`/[\p{P}\p{S}\s]+/gu`). A jieba word may span removed punctuation ("企业中,有" →
 *   "中有"), and so may a match here;
 * - the **texts** `T`: every document's text, joined by "\n", normalised (what the bilingual
 *   lexicon keeps terms from).
 *
 * How: a term can only occur in a document whose vocabulary holds every adjacent pair of its
 * UTF-16 code units. Most pairs are two Han characters next to each other in the text, and
 * the keyword index already has them, by chunk, as bigrams (`~ab`). Every other pair of a
 * document's vocabulary — across removed punctuation, next to a Latin letter or digit, in the
 * title, session or dates, stopword bigrams the keyword index leaves out, or any pair of a
 * document whose text the chunks do not cover — is recorded here, as pair → documents. The
 * candidates a term's pairs leave are then checked on their own text. Matches across two
 * documents' boundary are checked on a short window around each boundary.
 */
export class ArchiveText {
  private readonly documents: StoredDocument[];
  private readonly keywords: ForumIndex['keywords'];
  /** Chunk position → document index. */
  private readonly positionToDocument: Int32Array;
  /** Pairs outside the keyword index: sorted keys (first << 16 | second), documents by key. */
  private readonly extraKeys: Uint32Array;
  private readonly extraStarts: Uint32Array;
  private readonly extraDocuments: Uint32Array;
  /** Code units of the vocabulary (1 = present). */
  private readonly units = new Uint8Array(65536);
  /** The vocabulary around each boundary between two documents, by the pair of units across it (sorted). */
  private readonly boundaryKeys: Uint32Array;
  private readonly boundaryWindows: string[];
  private readonly stamps: Int32Array;
  private stamp = 0;
  private readonly fieldsCache = new Map<number, string>();
  private readonly textCache = new Map<number, string>();
  /** 1 when the document's text is already normalised (usually: the cleaner folds full-width forms). */
  private readonly normalised: Uint8Array;

  constructor(index: ForumIndex) {
    this.documents = [...index.corpus.documents.values()];
    this.keywords = index.keywords;
    const documentIndex = new Map(this.documents.map((document, i) => [document.id, i]));
    this.positionToDocument = Int32Array.from(index.corpus.chunks, (chunk) => documentIndex.get(chunk.docId) ?? -1);
    this.stamps = new Int32Array(this.documents.length);
    const spans: { start: number; end: number }[][] = this.documents.map(() => []);
    for (const chunk of index.corpus.chunks) spans[documentIndex.get(chunk.docId) ?? -1]?.push(chunk);

    this.normalised = new Uint8Array(this.documents.length);
    const builder = new PairBuilder(this.keywords, this.units, WINDOW);
    const coverage = new Coverage();
    const heads: string[] = [];
    const tails: string[] = [];
    this.documents.forEach((document, d) => {
      builder.startDocument(d, !coverage.covers(document.text, spans[d]!));
      builder.walk(normalizeText([document.title, document.session, chineseDate(document.date), document.date].join('\n')), false);
      const text = normalizeText(document.text);
      if (text === document.text) this.normalised[d] = 1;
      builder.walk(text, true);
      heads.push(builder.head());
      tails.push(builder.tail());
    });
    ({ keys: this.extraKeys, starts: this.extraStarts, documents: this.extraDocuments } = builder.finish());
    ({ keys: this.boundaryKeys, windows: this.boundaryWindows } = boundaryWindows(heads, tails, WINDOW));
  }

  /** `V.includes(term)`, or for a group "a|b" of alternatives, whether V holds one of them. */
  holds(term: string): boolean {
    return term.includes('|') ? term.split('|').some((alternative) => this.vocabularyIncludes(alternative)) : this.vocabularyIncludes(term);
  }

  /** Exactly `V.includes(term)` (see the class comment). */
  vocabularyIncludes(term: string): boolean {
    if (term.length === 0) return true;
    for (let j = 0; j < term.length; j++) {
      const unit = term.charCodeAt(j);
      // A removed character is never in V (a surrogate might be, joined across a removal).
      if (!isSurrogate(unit) && classOf(unit) & REMOVED) return false;
      if (!this.units[unit]) return false;
    }
    if (term.length === 1) return true;
    if (term.length > WINDOW) return this.scanVocabulary(term);
    if (this.acrossBoundary(term)) return true;
    return this.find(term, () => true, (d) => includesKept(this.fieldsOf(d), term), true) ?? false;
  }

  /** Whether V holds the term across the boundary between two documents (term.length <= WINDOW). */
  private acrossBoundary(term: string): boolean {
    const keys = this.boundaryKeys;
    for (let j = 0; j + 1 < term.length; j++) {
      const key = pairKey(term.charCodeAt(j), term.charCodeAt(j + 1));
      for (let i = lowerBound(keys, key); i < keys.length && keys[i] === key; i++) if (this.boundaryWindows[i]!.includes(term)) return true;
    }
    return false;
  }

  /** Exactly `T.includes(term)`: the documents' texts joined by "\n", normalised. */
  textsInclude(term: string): boolean {
    if (term.length === 0) return true;
    if (term.includes('\n')) return this.scanTexts(term);
    // Which of the term's code units the vocabulary keeps wherever the term occurs in a text.
    const kept: boolean[] = [];
    for (let j = 0; j < term.length; ) {
      const unit = term.charCodeAt(j);
      if (isHighSurrogate(unit) && isLowSurrogate(term.charCodeAt(j + 1))) {
        const keep = !(classOf(term.codePointAt(j)!) & REMOVED);
        kept.push(keep, keep);
        j += 2;
      } else {
        // A surrogate at the term's edge may pair with its neighbour in the text: unknown.
        const edge = (isHighSurrogate(unit) && j === term.length - 1) || (isLowSurrogate(unit) && j === 0);
        kept.push(!edge && !(classOf(unit) & REMOVED));
        j++;
      }
    }
    const holds = (d: number) => this.textOf(d).includes(term);
    return this.find(term, (j) => kept[j]! && kept[j + 1]!, holds, false) ?? this.documents.some((_, d) => holds(d));
  }

  /**
   * Whether `holds(d)` is true for a document whose vocabulary has each of the term's adjacent
   * pairs (those `constrained(j)` allows, pair j = units j, j + 1): no other document can hold
   * the term. Undefined when no pair constrains it. `probe`: the term is likely present (a
   * question's word), worth looking for in a few documents before reading every pair's postings.
   */
  private find(term: string, constrained: (j: number) => boolean, holds: (d: number) => boolean, probe: boolean): boolean | undefined {
    const pairs: { first: number; second: number; size: number }[] = [];
    for (let j = 0; j + 1 < term.length; j++) {
      if (!constrained(j)) continue;
      const first = term.charCodeAt(j);
      const second = term.charCodeAt(j + 1);
      if (pairs.some((pair) => pair.first === first && pair.second === second)) continue;
      const [start, end] = this.extraRange(first, second);
      const size = this.keywords.bigramFrequency(first, second) + end - start;
      if (size === 0) return false;
      pairs.push({ first, second, size });
    }
    if (pairs.length === 0) return undefined;
    pairs.sort((a, b) => a.size - b.size);
    const rarest = pairs[0]!;
    // Every pair common: the term most likely occurs, in one of the first documents with its
    // rarest pair. Try a few before reading every pair's postings.
    if (probe && rarest.size > PROBE_ABOVE) {
      let tried = 0;
      if (this.someDocumentWith(rarest.first, rarest.second, (d) => holds(d) || ++tried >= PROBES)) {
        if (tried < PROBES) return true;
      } else return false;
    }
    let documents: number[] = [];
    this.someDocumentWith(rarest.first, rarest.second, (d) => {
      documents.push(d);
      return false;
    });
    // Narrowed by the next pairs while reading their postings costs less than checking texts.
    for (let k = 1; k < pairs.length && documents.length > 1 && pairs[k]!.size <= documents.length * 2000; k++) {
      this.someDocumentWith(pairs[k]!.first, pairs[k]!.second, () => false);
      const stamp = this.stamp;
      documents = documents.filter((d) => this.stamps[d] === stamp);
    }
    return documents.sort((a, b) => a - b).some(holds);
  }

  /**
   * Calls `visit` for each document (once) whose vocabulary may hold the pair, until it returns
   * true; returns whether it did. The documents visited are left stamped with this.stamp.
   */
  private someDocumentWith(first: number, second: number, visit: (d: number) => boolean): boolean {
    const stamp = ++this.stamp;
    const { stamps, positionToDocument } = this;
    const each = (d: number) => {
      if (d < 0 || stamps[d] === stamp) return false;
      stamps[d] = stamp;
      return visit(d);
    };
    if (this.keywords.bigramFrequency(first, second) > 0 && this.keywords.someChunk(`~${String.fromCharCode(first, second)}`, (position) => each(positionToDocument[position]!))) {
      return true;
    }
    const [start, end] = this.extraRange(first, second);
    for (let i = start; i < end; i++) if (each(this.extraDocuments[i]!)) return true;
    return false;
  }

  private extraRange(first: number, second: number): [number, number] {
    const key = pairKey(first, second);
    const i = lowerBound(this.extraKeys, key);
    return this.extraKeys[i] === key ? [this.extraStarts[i]!, this.extraStarts[i + 1]!] : [0, 0];
  }

  /** Document d's part of V, before punctuation, symbols and blanks are removed. */
  private fieldsOf(d: number): string {
    return cached(this.fieldsCache, d, () => normalizeText(fieldsText(this.documents[d]!)));
  }

  /** Document d's part of T. */
  private textOf(d: number): string {
    const document = this.documents[d]!;
    return this.normalised[d] ? document.text : cached(this.textCache, d, () => normalizeText(document.text));
  }

  /** V.includes(term) the slow way, a document at a time (terms longer than the boundary windows). */
  private scanVocabulary(term: string): boolean {
    return scan(this.documents.length, (d) => removeSeparators(this.fieldsOf(d)), term);
  }

  private scanTexts(term: string): boolean {
    return scan(this.documents.length, (d) => (d > 0 ? '\n' : '') + this.textOf(d), term);
  }
}

/** Longest term a boundary window holds whole (longer ones are scanned). */
const WINDOW = 24;
const CACHED_DOCUMENTS = 64;
/** A term whose rarest pair is in more chunks and documents than this is first looked for in a few of them. */
const PROBE_ABOVE = 512;
const PROBES = 3;

const cache = new WeakMap<ForumIndex, ArchiveText>();

/** The index's archive text (built once per index, ~0.5 s at 100k chunks). */
export function corpusVocabulary(index: ForumIndex): ArchiveText {
  let archive = cache.get(index);
  if (!archive) {
    archive = new ArchiveText(index);
    cache.set(index, archive);
  }
  return archive;
}

/** One document's part of the vocabulary V before normalising and removing separators (V is their parts end to end). */
function fieldsText(document: StoredDocument): string {
  return [document.title, document.session, chineseDate(document.date), document.date, document.text].join('\n');
}

/**
 * `removeSeparators(text).includes(term)` without building that string: each occurrence of
 * the term's first unit is followed through the units the removal keeps.
 */
export function includesKept(text: string, term: string): boolean {
  const first = term[0]!;
  for (let k = text.indexOf(first); k >= 0; k = text.indexOf(first, k + 1)) {
    if (!keptAt(text, k)) continue;
    let i = k + 1;
    let j = 1;
    for (; j < term.length; i++, j++) {
      while (i < text.length && !keptAt(text, i)) i += isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
      if (i >= text.length) return false;
      if (text.charCodeAt(i) !== term.charCodeAt(j)) break;
    }
    if (j === term.length) return true;
  }
  return false;
}

/** Whether removing separators keeps the code unit at i (it keeps or removes whole code points). */
function keptAt(text: string, i: number): boolean {
  const unit = text.charCodeAt(i);
  if (isLowSurrogate(unit) && i > 0 && isHighSurrogate(text.charCodeAt(i - 1))) return !(classOf(text.codePointAt(i - 1)!) & REMOVED);
  if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) return !(classOf(text.codePointAt(i)!) & REMOVED);
  let kind = bmpClasses[unit]!;
  if (!(kind & KNOWN)) kind = classOf(unit);
  return !(kind & REMOVED);
}

/** `text.replace(/[\p{P}\p{S}\s]+/gu, '')`, without the regular expression's cost. */
export function removeSeparators(text: string): string {
  const pieces: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    let kind = bmpClasses[unit]!;
    let width = 1;
    if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) {
      kind = classOf(text.codePointAt(i)!);
      width = 2;
    } else if (!(kind & KNOWN)) kind = classOf(unit);
    if (kind & REMOVED) {
      if (i > from) pieces.push(text.slice(from, i));
      from = i + width;
    }
    i += width - 1;
  }
  if (from === 0) return text;
  if (from < text.length) pieces.push(text.slice(from));
  return pieces.join('');
}

/** Whether the parts, end to end, include the term; holds only a window of them at a time. */
function scan(count: number, part: (i: number) => string, term: string): boolean {
  let carry = '';
  for (let i = 0; i < count; i++) {
    const text = carry + part(i);
    if (text.includes(term)) return true;
    carry = text.slice(Math.max(0, text.length - term.length + 1));
  }
  return false;
}

function cached(map: Map<number, string>, key: number, make: () => string): string {
  let value = map.get(key);
  if (value !== undefined) {
    map.delete(key);
  } else {
    value = make();
    if (map.size >= CACHED_DOCUMENTS) map.delete(map.keys().next().value!);
  }
  map.set(key, value);
  return value;
}
