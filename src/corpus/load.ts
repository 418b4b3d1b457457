import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ArticleFileError } from '../errors.js';
import type { ForumDocument } from '../types.js';
import { parseFrontMatter, readSidecar, type ArticleMetadata } from './metadata.js';

export const ARTICLE_EXTENSIONS = ['.txt', '.md'];
/** Larger files are not news reports; refusing them keeps a stray dump out of the index. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;
/** A "line" this long is not prose (minified data, base64, a missing line break conversion). */
export const MAX_LINE_CHARS = 20_000;

export interface LoadedArticles {
  documents: ForumDocument[];
  /** Files that could not be loaded, each with a sentence saying why. */
  problems: ArticleFileError[];
}

/** The document id is the file name without extension: stable across edits of the text. */
export function documentIdFor(file: string): string {
  return path.basename(file).replace(/\.(txt|md)$/i, '');
}

export async function listArticleFiles(seedsDir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(seedsDir);
  } catch (error) {
    throw new ArticleFileError(seedsDir, 'cannot read the seeds folder', { cause: error });
  }
  return entries
    .filter((name) => ARTICLE_EXTENSIONS.includes(path.extname(name).toLowerCase()))
    .filter((name) => !name.startsWith('.'))
    .sort();
}

/** Loads every article in the folder; bad files are reported in `problems`, never indexed. */
export async function loadArticles(seedsDir: string): Promise<LoadedArticles> {
  const documents: ForumDocument[] = [];
  const problems: ArticleFileError[] = [];
  for (const name of await listArticleFiles(seedsDir)) {
    try {
      documents.push(await loadArticle(path.join(seedsDir, name), name));
    } catch (error) {
      problems.push(error instanceof ArticleFileError ? error : new ArticleFileError(name, 'could not be read', { cause: error }));
    }
  }
  return { documents, problems };
}

export async function loadArticle(filePath: string, file = path.basename(filePath)): Promise<ForumDocument> {
  const info = await stat(filePath);
  if (info.size === 0) throw new ArticleFileError(file, 'the file is empty; skipped');
  if (info.size > MAX_ARTICLE_BYTES) {
    throw new ArticleFileError(file, `the file is ${(info.size / 1048576).toFixed(1)} MiB, more than an article (limit ${MAX_ARTICLE_BYTES / 1048576} MiB); skipped`);
  }
  const bytes = await readFile(filePath);
  const raw = decodeArticle(bytes, file);
  const { metadata: frontMatter, body } = parseFrontMatter(raw, file);
  const sidecar = await readSidecar(filePath, file);
  const metadata: ArticleMetadata = { ...sidecar, ...frontMatter };
  const text = body.replace(/\r\n?/g, '\n');
  if (text.trim().length === 0) throw new ArticleFileError(file, 'the file has no text; skipped');
  const longest = text.split('\n').reduce((max, line) => Math.max(max, line.length), 0);
  if (longest > MAX_LINE_CHARS) {
    throw new ArticleFileError(file, `one line is ${longest} characters long (limit ${MAX_LINE_CHARS}); this does not look like an article; skipped`);
  }
  return {
    id: metadata.id ?? documentIdFor(file),
    file,
    title: metadata.title ?? '',
    date: metadata.date,
    publisher: metadata.publisher,
    url: metadata.url,
    session: metadata.session,
    ...(metadata.people ? { declaredMembers: metadata.people } : {}),
    text,
  };
}

/**
 * UTF-8 only. GBK/GB18030 files are refused with a sentence saying how to convert them:
 * guessing an encoding silently risks indexing mojibake.
 */
export function decodeArticle(bytes: Buffer, file: string): string {
  if (looksBinary(bytes)) throw new ArticleFileError(file, 'this is a binary file, not text; skipped');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    if (looksLikeGb18030(bytes)) {
      throw new ArticleFileError(
        file,
        'the file is not UTF-8 (it looks like GBK/GB18030); refused. Convert it with `iconv -f GB18030 -t UTF-8` and run ingest again',
        { cause: error },
      );
    }
    throw new ArticleFileError(file, 'the file is not valid UTF-8 text; skipped', { cause: error });
  }
  return text.replace(/^\uFEFF/, '');
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

function looksLikeGb18030(bytes: Buffer): boolean {
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
    return han > 0;
  } catch {
    return false;
  }
}
