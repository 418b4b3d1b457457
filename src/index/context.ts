import { speakerAt } from '../corpus/people.js';
import type { Chunk } from '../types.js';
import type { StoredDocument } from './store.js';

/** "2026-01-26" → "2026年1月26日", the form Chinese questions use. */
export function chineseDate(iso: string | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return match ? `${match[1]}年${Number(match[2])}月${Number(match[3])}日` : '';
}

/** The nearest section heading above the chunk (a short unpunctuated line), if any. */
export function headingAbove(document: StoredDocument, chunk: Chunk): string | undefined {
  const before = document.text.slice(0, chunk.start).split('\n').reverse();
  for (const line of before) {
    if (line.length <= 40 && !/[。！？；!?;，,]/.test(line) && line.trim()) return line;
  }
  return undefined;
}

/** Who speaks in a chunk or sentence (see speakerAt). */
export function speakerOf(document: StoredDocument, span: { start: number; end: number }): string | undefined {
  return speakerAt(document.people, document.text, span.start, span.end)?.name;
}

/**
 * What a chunk means on its own: the passage plus the article's date and session and the
 * speaker and heading it falls under. This is what gets embedded and keyword-indexed; users are
 * shown the bare passage.
 */
export function contextualText(document: StoredDocument, chunk: Chunk): string {
  const speaker = speakerOf(document, chunk);
  const person = speaker ? document.people.find((p) => p.name === speaker) : undefined;
  const heading = headingAbove(document, chunk);
  const header = [
    document.title,
    chineseDate(document.date),
    document.session,
    person ? `${person.affiliation}${person.role}${person.name}` : undefined,
    heading && !chunk.text.startsWith(heading) ? heading : undefined,
  ].filter(Boolean);
  return `${header.join(' ')}\n${chunk.text}`;
}

/** A lighter context for keyword search: date and speaker, not the whole title. */
export function keywordText(document: StoredDocument, chunk: Chunk): string {
  const speaker = speakerOf(document, chunk);
  return [chineseDate(document.date), speaker, chunk.text].filter(Boolean).join(' ');
}
