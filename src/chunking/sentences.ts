export interface Span {
  start: number;
  end: number;
}

// A sentence ends at 。！？；!?; (and …… used as an ending), together with any closing quotes or
// brackets right after it: “…。” is one sentence. A line break also ends one (headings have no
// punctuation). ASCII "." is not an end: it is used in numbers.
const SENTENCE_END = /(?:[。！？；!?;]+|……)[”’」』）)\]"'》]*|\n+/gu;
const CLAUSE_END = /[，,、：:][”’」』）)"']*/gu;

/** Sentence spans of `text` (offsets relative to `offset`), skipping leading/trailing blanks. */
export function splitSentences(text: string, offset = 0): Span[] {
  return splitAt(text, SENTENCE_END, offset);
}

/** Clause spans: for sentences too long to show or embed whole. */
export function splitClauses(text: string, offset = 0): Span[] {
  return splitAt(text, CLAUSE_END, offset);
}

function splitAt(text: string, boundary: RegExp, offset: number): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const match of text.matchAll(boundary)) {
    const end = match.index! + match[0].length;
    pushTrimmed(spans, text, start, end, offset);
    start = end;
  }
  pushTrimmed(spans, text, start, text.length, offset);
  return spans;
}

function pushTrimmed(spans: Span[], text: string, start: number, end: number, offset: number): void {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start) spans.push({ start: start + offset, end: end + offset });
}

/** Paragraph spans: one per non-blank line. */
export function splitParagraphs(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const line of text.split('\n')) {
    pushTrimmed(spans, text, start, start + line.length, 0);
    start += line.length + 1;
  }
  return spans;
}
