import type { Chunk, ForumDocument } from '../types.js';
import { splitClauses, splitParagraphs, splitSentences, type Span } from './sentences.js';

/** Bump when chunk boundaries change: the manifest records it and a change forces a rebuild. */
export const CHUNKER_VERSION = 1;

export interface ChunkOptions {
  /** Paragraphs are packed together up to this size. */
  targetChars: number;
  /** No chunk is longer than this (a sentence that long is cut at clauses). */
  maxChars: number;
}

// ~250 Han characters is ~250 tokens: well inside small encoders' 512-token window, and short
// enough that a passage is about one proposal, which keeps citations precise.
export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { targetChars: 220, maxChars: 360 };

/** A short unpunctuated line: a section heading, kept with the paragraph it introduces. */
function isHeading(text: string): boolean {
  return text.length <= 40 && !/[。！？；!?;]$/.test(text);
}

/**
 * Cuts a cleaned document into passages. Paragraphs are kept whole and packed while they fit;
 * a paragraph too long is cut at sentence ends with one sentence of overlap. Every chunk's
 * text is exactly `document.text.slice(start, end)`.
 */
export function chunkDocument(document: ForumDocument, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  const text = document.text;
  const units: Span[] = [];
  for (const paragraph of splitParagraphs(text)) {
    if (paragraph.end - paragraph.start <= options.maxChars) units.push(paragraph);
    else units.push(...windows(text, paragraph, options.maxChars));
  }

  const spans: Span[] = [];
  let current: Span | undefined;
  for (const unit of units) {
    const merged = current && { start: current.start, end: unit.end };
    // A heading opens a new chunk: it belongs to what follows, not to what came before.
    const fits = merged && merged.end - merged.start <= options.targetChars && !isHeading(text.slice(unit.start, unit.end));
    const headingOnly = current && isHeading(text.slice(current.start, current.end)) && merged!.end - merged!.start <= options.maxChars;
    // Overlapping windows of one paragraph are never merged: they are already full.
    if (current && merged && unit.start >= current.end && (fits || headingOnly)) current = merged;
    else {
      if (current) spans.push(current);
      current = { ...unit };
    }
  }
  if (current) spans.push(current);

  return spans.map((span, ordinal) => ({
    id: `${document.id}#${ordinal}`,
    docId: document.id,
    ordinal,
    start: span.start,
    end: span.end,
    text: text.slice(span.start, span.end),
  }));
}

/** Sentence windows over a long paragraph, each starting with the previous window's last sentence. */
function windows(text: string, paragraph: Span, maxChars: number): Span[] {
  const sentences = splitSentences(text.slice(paragraph.start, paragraph.end), paragraph.start).flatMap((sentence) =>
    sentence.end - sentence.start <= maxChars ? [sentence] : hardSplit(text, sentence, maxChars),
  );
  const result: Span[] = [];
  let first = 0;
  while (first < sentences.length) {
    let last = first;
    while (last + 1 < sentences.length && sentences[last + 1]!.end - sentences[first]!.start <= maxChars) last++;
    result.push({ start: sentences[first]!.start, end: sentences[last]!.end });
    if (last + 1 >= sentences.length) break;
    // One sentence of overlap, unless the window holds a single sentence (no progress otherwise).
    first = last > first ? last : last + 1;
  }
  return result;
}

/** A sentence longer than a chunk: clauses packed up to the limit, else a plain cut. */
function hardSplit(text: string, sentence: Span, maxChars: number): Span[] {
  const pieces: Span[] = [];
  for (const clause of splitClauses(text.slice(sentence.start, sentence.end), sentence.start)) {
    for (let start = clause.start; start < clause.end; start += maxChars) {
      pieces.push({ start, end: Math.min(clause.end, start + maxChars) });
    }
  }
  const packed: Span[] = [];
  for (const piece of pieces) {
    const last = packed[packed.length - 1];
    if (last && piece.end - last.start <= maxChars) last.end = piece.end;
    else packed.push({ ...piece });
  }
  return packed;
}
