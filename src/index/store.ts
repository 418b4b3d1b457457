import type { Person } from '../corpus/people.js';
import type { Chunk, ForumDocument } from '../types.js';

/**
 * 1: store.json (documents with their text, chunk spans as objects).
 * 2: store.bin — the documents' metadata as JSON, their texts as UTF-16LE (a copy, not a parse,
 *    to load) and the chunk spans as an Int32 table. Loads ~5× faster and leaves no 100 MB JSON
 *    string behind in the heap. Version 1 stores are still read.
 */
export const STORE_VERSION = 2;
const MAGIC = 0x54535043; // "CPST" little-endian
const HEADER_WORDS = 8;

/** A cleaned article as kept in the index: what citations, summaries and /sources need. */
export interface StoredDocument extends ForumDocument {
  contentHash: string;
  people: Person[];
}

/** Chunks are stored as spans; their text is sliced from the document on load. */
export interface StoredChunk {
  docId: string;
  ordinal: number;
  start: number;
  end: number;
}

export interface ChunkStoreData {
  version: number;
  documents: StoredDocument[];
  chunks: StoredChunk[];
}

export function chunkFromStored(stored: StoredChunk, document: StoredDocument): Chunk {
  return {
    id: `${stored.docId}#${stored.ordinal}`,
    docId: stored.docId,
    ordinal: stored.ordinal,
    start: stored.start,
    end: stored.end,
    text: document.text.slice(stored.start, stored.end),
  };
}

/** The chunk store as store.bin holds it: chunk spans in a table (docIndex, ordinal, start, end). */
export interface CompactStore {
  version: number;
  documents: StoredDocument[];
  /** 4 Int32 per chunk: index into `documents`, ordinal, start, end. */
  chunkTable: Int32Array;
}

export function encodeStore(documents: StoredDocument[], chunks: StoredChunk[]): Uint8Array {
  const indexOf = new Map(documents.map((document, i) => [document.id, i]));
  const meta = Buffer.from(JSON.stringify({ version: STORE_VERSION, documents: documents.map(({ text: _text, ...rest }) => rest) }));
  const metaPadded = (meta.length + 3) & ~3;
  const textOffsets = new Uint32Array(documents.length + 1);
  let units = 0;
  documents.forEach((document, i) => {
    textOffsets[i] = units;
    units += document.text.length;
  });
  textOffsets[documents.length] = units;
  const table = new Int32Array(chunks.length * 4);
  chunks.forEach((chunk, i) => {
    const documentIndex = indexOf.get(chunk.docId);
    if (documentIndex === undefined) throw new RangeError(`chunk of unknown document ${chunk.docId}`);
    table.set([documentIndex, chunk.ordinal, chunk.start, chunk.end], i * 4);
  });
  const textStart = HEADER_WORDS * 4 + metaPadded + textOffsets.byteLength + table.byteLength;
  const bytes = Buffer.alloc(textStart + units * 2);
  const header = [MAGIC, STORE_VERSION, meta.length, documents.length, chunks.length, units, 0, 0];
  header.forEach((value, i) => bytes.writeUInt32LE(value, i * 4));
  meta.copy(bytes, HEADER_WORDS * 4);
  let offset = HEADER_WORDS * 4 + metaPadded;
  for (const array of [textOffsets, table]) {
    for (let i = 0; i < array.length; i++, offset += 4) bytes.writeInt32LE(array[i]! | 0, offset);
  }
  for (const document of documents) offset += bytes.write(document.text, offset, 'utf16le');
  return bytes;
}

/** Reads store.bin; throws a RangeError on a malformed file. */
export function decodeStore(bytes: Uint8Array): CompactStore {
  const fail = (why: string): never => {
    throw new RangeError(`not a chunk store (${why})`);
  };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < HEADER_WORDS * 4) fail('too short');
  const [magic, version, metaBytes, documentCount, chunkCount, units] = Array.from({ length: 6 }, (_, i) => buffer.readUInt32LE(i * 4)) as [
    number, number, number, number, number, number,
  ];
  if (magic !== MAGIC) fail('bad magic number');
  if (version !== STORE_VERSION) fail(`version ${version}, expected ${STORE_VERSION}`);
  const metaPadded = (metaBytes + 3) & ~3;
  const tableStart = HEADER_WORDS * 4 + metaPadded + (documentCount + 1) * 4;
  const textStart = tableStart + chunkCount * 16;
  if (buffer.length !== textStart + units * 2) fail('wrong length');
  const meta = JSON.parse(buffer.toString('utf8', HEADER_WORDS * 4, HEADER_WORDS * 4 + metaBytes)) as { documents: Omit<StoredDocument, 'text'>[] };
  if (!Array.isArray(meta.documents) || meta.documents.length !== documentCount) fail('document list does not match');
  const aligned = buffer.byteOffset % 4 === 0 ? buffer : Buffer.from(buffer);
  const offsets = new Uint32Array(aligned.buffer, aligned.byteOffset + HEADER_WORDS * 4 + metaPadded, documentCount + 1);
  const chunkTable = new Int32Array(aligned.buffer, aligned.byteOffset + tableStart, chunkCount * 4).slice();
  if (offsets[documentCount] !== units) fail('text offsets do not match');
  const documents = meta.documents.map((document, i) => {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    if (end < start || end > units) fail('text offsets out of range');
    return { ...document, text: aligned.toString('utf16le', textStart + start * 2, textStart + end * 2) } as StoredDocument;
  });
  for (let i = 0; i < chunkCount; i++) {
    const document = documents[chunkTable[i * 4]!];
    if (!document || chunkTable[i * 4 + 2]! < 0 || chunkTable[i * 4 + 3]! > document.text.length) fail(`chunk ${i} is out of range`);
  }
  return { version, documents, chunkTable };
}

/** The plain form, for callers that want StoredChunk objects (ingest's reuse of old vectors). */
export function storeData(store: CompactStore): ChunkStoreData {
  const chunks: StoredChunk[] = [];
  for (let i = 0; i < store.chunkTable.length; i += 4) {
    chunks.push({ docId: store.documents[store.chunkTable[i]!]!.id, ordinal: store.chunkTable[i + 1]!, start: store.chunkTable[i + 2]!, end: store.chunkTable[i + 3]! });
  }
  return { version: store.version, documents: store.documents, chunks };
}
