/**
 * Bytes of a seed file → text. UTF-8 (with or without a byte-order mark) and UTF-16 with a
 * byte-order mark (what Windows Notepad saves as "Unicode") are read; anything else is refused
 * with a sentence saying what it looks like and how to convert it: guessing an encoding
 * silently risks indexing mojibake.
 */
import { ArticleFileError } from '../errors.js';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];

export function decodeArticle(bytes: Buffer, file: string): string {
  if (startsWith(bytes, UTF16LE_BOM)) return decodeUtf16(bytes.subarray(2), 'utf-16le', file);
  if (startsWith(bytes, UTF16BE_BOM)) return decodeUtf16(bytes.subarray(2), 'utf-16be', file);
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(3) : bytes;
  const unmarked = unmarkedUtf16(body);
  if (unmarked) {
    throw new ArticleFileError(
      file,
      `the file looks like ${unmarked.toUpperCase()} text without a byte-order mark; refused. Convert it with \`iconv -f ${unmarked.toUpperCase()} -t UTF-8\` and run ingest again`,
    );
  }
  if (looksBinary(body)) throw new ArticleFileError(file, 'this is a binary file, not text; skipped');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch (error) {
    if (looksLikeGb18030(body)) {
      throw new ArticleFileError(
        file,
        'the file is not UTF-8 (it looks like GBK/GB18030); refused. Convert it with `iconv -f GB18030 -t UTF-8` and run ingest again',
        { cause: error },
      );
    }
    throw new ArticleFileError(file, 'the file is not valid UTF-8 text; skipped', { cause: error });
  }
}

function decodeUtf16(bytes: Buffer, encoding: 'utf-16le' | 'utf-16be', file: string): string {
  const name = encoding.toUpperCase();
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new ArticleFileError(file, `the file starts with a ${name} byte-order mark but is not valid ${name} text; skipped`, { cause: error });
  }
  // A byte-order mark in front of binary data (an image, an archive) is not text either.
  if (controlShare(text.slice(0, 4096)) > 0.05 || text.includes('\u0000')) {
    throw new ArticleFileError(file, `the file starts with a ${name} byte-order mark but holds binary data, not text; skipped`);
  }
  return text;
}

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

/**
 * UTF-16 without a mark: the file has zero bytes (the high byte of line breaks, digits and
 * Latin letters) and decodes in one byte order to characters an article is written in.
 * Binary data holds unpaired surrogates and control characters in both orders.
 */
function unmarkedUtf16(bytes: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const sample = bytes.subarray(0, 8192 - (Math.min(bytes.length, 8192) % 2));
  if (sample.length < 8 || !sample.includes(0)) return undefined;
  for (const encoding of ['utf-16le', 'utf-16be'] as const) {
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(sample);
    } catch {
      continue;
    }
    const written = text.match(/[\p{Script=Han}\p{P}\p{Zs}\t\n\r\x20-\x7e\uff00-\uffef]/gu)?.length ?? 0;
    if (written >= text.length * 0.95) return encoding;
  }
  return undefined;
}

function looksBinary(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  return control > sample.length * 0.05;
}

function controlShare(text: string): number {
  if (!text.length) return 0;
  let control = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 9 || (code > 13 && code < 32)) control++;
  }
  return control / text.length;
}

function looksLikeGb18030(bytes: Buffer): boolean {
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
    return han > 0;
  } catch {
    return false;
  }
}
