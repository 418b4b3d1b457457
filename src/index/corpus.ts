import { MemberTable } from '../corpus/member-table.js';
import type { Person } from '../corpus/people.js';
import type { Chunk } from '../types.js';
import type { StoredDocument } from './store.js';

/**
 * The archive as question analysis and answering read it: the articles, their chunks by
 * position (position = HNSW label = keyword-index position), the members they introduce, and
 * the dates. Everything here is built once, in the constructor, from what ingest stored: no
 * look-up is filled lazily on first use, so there is nothing to warm up, and a test builds a
 * small corpus in memory from a few documents and chunks.
 */
export class Corpus {
  readonly documents: ReadonlyMap<string, StoredDocument>;
  readonly chunks: readonly Chunk[];
  readonly members: MemberTable;
  /** Every "20xx" written anywhere in an article's text ("202023" holds 2020 and 2023). */
  readonly yearsInTexts: ReadonlySet<string>;
  private readonly positionsByDocument = new Map<string, number[]>();
  private readonly chunksById = new Map<string, Chunk>();
  private readonly documentIdsByYear = new Map<string, string[]>();

  constructor(documents: Iterable<StoredDocument>, chunks: readonly Chunk[]) {
    this.documents = new Map([...documents].map((document) => [document.id, document]));
    this.chunks = chunks;
    chunks.forEach((chunk, position) => {
      push(this.positionsByDocument, chunk.docId, position);
      this.chunksById.set(chunk.id, chunk);
    });
    const years = new Set<string>();
    for (const document of this.documents.values()) {
      if (document.date) push(this.documentIdsByYear, document.date.slice(0, 4), document.id);
      yearsWritten(document.text, years);
    }
    this.yearsInTexts = years;
    this.members = new MemberTable([...this.documents.values()].flatMap((document) => document.people));
  }

  /** Every member whose name occurs in `text`, in article order. */
  peopleIn(text: string): Person[] {
    return this.members.in(text);
  }

  /** The chunks of one article, in order. */
  chunksOf(docId: string): Chunk[] {
    return (this.positionsByDocument.get(docId) ?? []).map((position) => this.chunks[position]!);
  }

  /** The chunk right after this one in its article, if any. */
  nextChunk(chunk: { docId: string; ordinal: number }): Chunk | undefined {
    return this.chunksOf(chunk.docId).find((other) => other.ordinal === chunk.ordinal + 1);
  }

  chunkWithId(id: string): Chunk | undefined {
    return this.chunksById.get(id);
  }

  /** A mask over chunk positions: 1 where the chunk belongs to one of `documentIds` (a filter for vector search). */
  documentMask(documentIds: Iterable<string>): Uint8Array {
    const mask = new Uint8Array(this.chunks.length);
    for (const id of documentIds) for (const position of this.positionsByDocument.get(id) ?? []) mask[position] = 1;
    return mask;
  }

  /** The ids of the articles dated in any of these years ("2025"), in article order. */
  documentsDatedIn(years: Iterable<string>): string[] {
    const wanted = new Set([...years].flatMap((year) => this.documentIdsByYear.get(year) ?? []));
    return [...this.documents.keys()].filter((id) => wanted.has(id));
  }
}

/** Adds every "20xx" of the text, overlapping ones too. */
function yearsWritten(text: string, years: Set<string>): void {
  for (let at = text.indexOf('20'); at >= 0; at = text.indexOf('20', at + 1)) {
    if (isDigit(text.charCodeAt(at + 2)) && isDigit(text.charCodeAt(at + 3))) years.add(text.slice(at, at + 4));
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
