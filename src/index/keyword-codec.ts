/**
 * keywords.bin, the BM25 index on disk, and the varint posting lists inside it.
 *
 * Layout (all integers little-endian uint32): a header of HEADER_WORDS words
 * [magic, version, chunkCount, termCount, termBytes, postingBytes, termChars, 0], then
 * lengths[chunkCount], documentFrequencies[termCount], termStarts[termCount + 1],
 * postingStarts[termCount + 1], then the terms as UTF-8 and the posting bytes.
 *
 * A posting list is, per chunk in ascending position order,
 * varint((gap − 1) · 8 + (frequency < 8 ? frequency : 0)) followed by varint(frequency) when
 * frequency ≥ 8; the gap of the first posting counts from position −1. Varints are LEB128
 * (7 bits a byte, low bits first, high bit set on all but the last byte).
 */

/** The plain form, as index format 1 stored it in JSON (and as tests write an index by hand). */
export interface KeywordIndexData {
  /** Number of terms in each chunk, by chunk position. */
  lengths: number[];
  /** term → flat [chunkPosition, termFrequency, chunkPosition, termFrequency, …]. */
  postings: Record<string, number[]>;
}

/** The index as typed arrays: what keywords.bin holds. */
export interface KeywordTables {
  /** Number of terms in each chunk, by chunk position. */
  lengths: Uint32Array;
  /** All terms, end to end; term i is terms.slice(termStarts[i], termStarts[i + 1]). */
  terms: string;
  termStarts: Uint32Array;
  documentFrequencies: Uint32Array;
  /** Byte range of term i's postings: [postingStarts[i], postingStarts[i + 1]). */
  postingStarts: Uint32Array;
  postings: Uint8Array;
}

/** Bump when the layout of keywords.bin changes. */
export const KEYWORD_FORMAT_VERSION = 1;
const MAGIC = 0x574b5043; // "CPKW" little-endian
const HEADER_WORDS = 8;
/** The most bytes writePosting adds: two varints of at most 5 bytes (values below 2^35). */
export const MAX_POSTING_BYTES = 10;

export function encodeKeywordTables(tables: KeywordTables): Uint8Array {
  const terms = Buffer.from(tables.terms, 'utf8');
  const chunkCount = tables.lengths.length;
  const termCount = tables.documentFrequencies.length;
  const words = wordCount(chunkCount, termCount);
  const bytes = new Uint8Array(words * 4 + terms.length + tables.postings.length);
  const view = new DataView(bytes.buffer);
  const header = [MAGIC, KEYWORD_FORMAT_VERSION, chunkCount, termCount, terms.length, tables.postings.length, tables.terms.length, 0];
  header.forEach((value, i) => view.setUint32(i * 4, value, true));
  let offset = HEADER_WORDS * 4;
  for (const array of [tables.lengths, tables.documentFrequencies, tables.termStarts, tables.postingStarts]) {
    for (let i = 0; i < array.length; i++, offset += 4) view.setUint32(offset, array[i]!, true);
  }
  bytes.set(terms, offset);
  bytes.set(tables.postings, offset + terms.length);
  return bytes;
}

/**
 * Reads keywords.bin. Throws a RangeError naming what is wrong with a malformed file.
 *
 * The uint32 arrays are copied out through a little-endian DataView, so the file reads the same
 * on any host. Uint32Array views over the bytes would be zero-copy but read in host byte order;
 * the copy measured ~0.3 ms on a 13 MB index of 60k chunks and 40k terms (fromBinary 3.7 → 4.0
 * ms, most of it the term hash table), too little to keep a second, host-dependent path.
 */
export function decodeKeywordTables(bytes: Uint8Array): KeywordTables {
  const fail = (why: string): never => {
    throw new RangeError(`not a keyword index (${why})`);
  };
  if (bytes.byteLength < HEADER_WORDS * 4) fail('too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = Array.from({ length: HEADER_WORDS }, (_, i) => view.getUint32(i * 4, true));
  const [magic, version, chunkCount, termCount, termBytes, postingBytes, termChars] = header as [number, number, number, number, number, number, number];
  if (magic !== MAGIC) fail('bad magic number');
  if (version !== KEYWORD_FORMAT_VERSION) fail(`layout version ${version}, expected ${KEYWORD_FORMAT_VERSION}`);
  const words = wordCount(chunkCount, termCount);
  if (bytes.byteLength !== words * 4 + termBytes + postingBytes) fail('wrong length');
  const u32 = (word: number, length: number): Uint32Array => {
    const array = new Uint32Array(length);
    for (let i = 0; i < length; i++) array[i] = view.getUint32((word + i) * 4, true);
    return array;
  };
  const lengths = u32(HEADER_WORDS, chunkCount);
  const documentFrequencies = u32(HEADER_WORDS + chunkCount, termCount);
  const termStarts = u32(HEADER_WORDS + chunkCount + termCount, termCount + 1);
  const postingStarts = u32(HEADER_WORDS + chunkCount + 2 * termCount + 1, termCount + 1);
  const termOffset = words * 4;
  const terms = Buffer.from(bytes.buffer, bytes.byteOffset + termOffset, termBytes).toString('utf8');
  if (terms.length !== termChars || termStarts[termCount] !== termChars || postingStarts[termCount] !== postingBytes) fail('inconsistent offsets');
  const postings = bytes.subarray(termOffset + termBytes, termOffset + termBytes + postingBytes);
  return { lengths, terms, termStarts, documentFrequencies, postingStarts, postings };
}

function wordCount(chunkCount: number, termCount: number): number {
  return HEADER_WORDS + chunkCount + termCount + 2 * (termCount + 1);
}

/**
 * Appends one posting at buffer[at] (which must have MAX_POSTING_BYTES free) and returns the
 * offset after it. `gap` is position − previous position (previous = −1 for the first).
 */
export function writePosting(buffer: Uint8Array, at: number, gap: number, frequency: number): number {
  at = writeVarint(buffer, at, (gap - 1) * 8 + (frequency < 8 ? frequency : 0));
  return frequency >= 8 ? writeVarint(buffer, at, frequency) : at;
}

function writeVarint(buffer: Uint8Array, at: number, value: number): number {
  while (value >= 128) {
    buffer[at++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  buffer[at++] = value;
  return at;
}

/**
 * Where the last readVarint stopped: the offset after the varint it read. A module variable
 * rather than a result object or a cursor: the scorer decodes every posting of a query's terms,
 * and this form measured as fast as decoding inlined by hand (a cursor object cost ~15 %).
 */
export let varintEnd = 0;

/** The LEB128 varint at postings[at]; sets varintEnd to the offset after it. */
export function readVarint(postings: Uint8Array, at: number): number {
  let value = postings[at++]!;
  if (value >= 128) {
    value &= 127;
    let scale = 128;
    let byte: number;
    do {
      byte = postings[at++]!;
      value += (byte & 127) * scale;
      scale *= 128;
    } while (byte >= 128);
  }
  varintEnd = at;
  return value;
}
