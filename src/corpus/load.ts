import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ArticleFileError } from '../errors.js';
import type { ForumDocument } from '../types.js';
import { decodeArticle } from './decode.js';
import { htmlSign } from './html-signs.js';
import { parseFrontMatter, readSidecar, type ArticleMetadata } from './metadata.js';
import { resolveSeedFile, seedsRoot } from './seed-files.js';

export const TEXT_EXTENSIONS = ['.txt', '.md'];
export const WEB_PAGE_EXTENSIONS = ['.html', '.htm'];
export const ARTICLE_EXTENSIONS = [...TEXT_EXTENSIONS, ...WEB_PAGE_EXTENSIONS];
const EXTENSION = /\.(txt|md|html?)$/i;
/** Larger files are not news reports; refusing them keeps a stray dump out of the index. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;
/** A "line" this long is not prose (minified data, base64, a missing line break conversion). */
export const MAX_LINE_CHARS = 20_000;

export interface LoadedArticles {
  documents: ForumDocument[];
  /** Files that could not be loaded, each with a sentence saying why. */
  problems: ArticleFileError[];
  /** Files read as web pages (their article extracted from the HTML), each with why. */
  webPages: WebPageRead[];
}

export interface WebPageRead {
  file: string;
  /** "an .html file", or the sign that a .txt/.md file's text is HTML. */
  why: string;
}

/** The document id is the file name without extension: stable across edits of the text. */
export function documentIdFor(file: string): string {
  return path.basename(file).replace(EXTENSION, '');
}

/** NAME.meta.json beside NAME.txt, NAME.md, NAME.html. */
export function sidecarNameFor(file: string): string {
  return `${documentIdFor(file)}.meta.json`;
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
  const webPages: WebPageRead[] = [];
  const names = await listArticleFiles(seedsDir);
  const root = await seedsRoot(seedsDir);
  for (const name of names) {
    try {
      const { document, webPage } = await readArticle(root, name);
      documents.push(document);
      if (webPage) webPages.push({ file: name, why: webPage });
    } catch (error) {
      problems.push(error instanceof ArticleFileError ? error : new ArticleFileError(name, `could not be read (${describeCause(error)}); skipped`, { cause: error }));
    }
  }
  return { documents, problems, webPages };
}

/** One article file of the folder `seedsDir`. */
export async function loadArticle(seedsDir: string, name: string): Promise<ForumDocument> {
  return (await readArticle(await seedsRoot(seedsDir), name)).document;
}

async function readArticle(root: string, file: string): Promise<{ document: ForumDocument; webPage?: string }> {
  const seed = await resolveSeedFile(root, file);
  if (!seed) throw new ArticleFileError(file, 'the file is gone (it was removed while the folder was read); skipped');
  if (seed.size === 0) throw new ArticleFileError(file, 'the file is empty; skipped');
  if (seed.size > MAX_ARTICLE_BYTES) {
    throw new ArticleFileError(file, `the file is ${(seed.size / 1048576).toFixed(1)} MiB, more than an article (limit ${MAX_ARTICLE_BYTES / 1048576} MiB); skipped`);
  }
  const raw = decodeArticle(await readFile(seed.path), file);
  const { metadata: frontMatter, body } = parseFrontMatter(raw, file);
  const sidecarFile = await resolveSeedFile(root, sidecarNameFor(file), file);
  const sidecar = sidecarFile ? await readSidecar(sidecarFile.path, file) : {};
  const webPage = webPageReason(file, body);
  let page: ArticleMetadata = {};
  let text = body.replace(/\r\n?/g, '\n');
  if (webPage) {
    const what = webPage.startsWith('its text') ? `${webPage}, but the page` : 'the web page';
    // The DOM and Readability take ~0.2 s to import: only an ingest that meets a web page pays it.
    const { readWebPage } = await import('./web-page.js');
    ({ metadata: page, text } = readWebPage(body, file, what));
  }
  // The maintainer's word (front matter, then the sidecar) over what the page says about itself.
  const metadata: ArticleMetadata = { ...page, ...definedOnly(sidecar), ...definedOnly(frontMatter) };
  if (text.trim().length === 0) throw new ArticleFileError(file, 'the file has no text; skipped');
  const longest = text.split('\n').reduce((max, line) => Math.max(max, line.length), 0);
  if (longest > MAX_LINE_CHARS) {
    throw new ArticleFileError(file, `one line is ${longest} characters long (limit ${MAX_LINE_CHARS}); this does not look like an article; skipped`);
  }
  const document: ForumDocument = {
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
  return { document, ...(webPage ? { webPage } : {}) };
}

/** Why the file is read as a web page, or undefined for plain text. */
function webPageReason(file: string, body: string): string | undefined {
  if (WEB_PAGE_EXTENSIONS.includes(path.extname(file).toLowerCase())) return `an ${path.extname(file).toLowerCase()} file`;
  const sign = htmlSign(body);
  return sign ? `its text is HTML: ${sign}` : undefined;
}

function definedOnly(metadata: ArticleMetadata): ArticleMetadata {
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined)) as ArticleMetadata;
}

function describeCause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
