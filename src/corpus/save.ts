/**
 * Saving an article file into the seeds folder (an admin's upload): under a safe name, never over
 * a different article without being asked, and never half-written where an ingest could read it.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { documentIdFor, listArticleFiles } from './load.js';

export type SaveStatus =
  /** No article had this name or id: saved under it. */
  | 'new'
  /** The same name held the same bytes already: nothing written. */
  | 'identical'
  /** The same name held a different article and replacing was asked for: overwritten. */
  | 'replaced'
  /** A different article has this name or id: saved under the next free name, the other kept. */
  | 'renamed'
  /** A different article has this name or id and the caller asked not to save then: nothing written. */
  | 'taken';

export interface SavedArticle {
  status: SaveStatus;
  /** The file name in the seeds folder now holding the upload. */
  file: string;
  /** The article that has the name, when the upload was renamed or not saved. */
  existing?: string;
}

const MAX_STEM_CHARS = 80;

/**
 * A file name that is safe in the seeds folder: the last path part only, letters (any script),
 * digits, `_`, `-` and `.` kept, the rest one `_`; no leading dot (hidden files are not articles)
 * or dash; the extension lower-cased. Undefined when nothing of the name is left.
 */
export function safeArticleName(original: string): string | undefined {
  const base = (original.split(/[\\/]/).pop() ?? '').normalize('NFC');
  const extension = path.extname(base).toLowerCase();
  const stem = base
    .slice(0, base.length - extension.length)
    .replace(/[^\p{L}\p{N}_.-]+/gu, '_')
    .replace(/^[._-]+/, '')
    .replace(/_{2,}/g, '_')
    .slice(0, MAX_STEM_CHARS);
  return stem && extension ? `${stem}${extension}` : undefined;
}

/** What to do when the name or id is in use by a different article: overwrite (same name only), save under another name, or not save. */
export type WhenTaken = 'replace' | 'rename' | 'refuse';

/** Writes `bytes` as `name` (a safe name) into `seedsDir`; see SaveStatus for what happens to a name in use. */
export async function saveArticle(seedsDir: string, name: string, bytes: Buffer, whenTaken: WhenTaken): Promise<SavedArticle> {
  const existing = await listArticleFiles(seedsDir);
  const taken = new Set(existing.map((file) => documentIdFor(file)));
  const others = new Set(await readdir(seedsDir));
  if (existing.includes(name)) {
    const old = await readFile(path.join(seedsDir, name));
    if (old.equals(bytes)) return { status: 'identical', file: name };
    if (whenTaken === 'replace') {
      await writeAtomically(seedsDir, name, bytes, 'replace');
      return { status: 'replaced', file: name };
    }
  }
  const id = documentIdFor(name);
  if (!taken.has(id) && !others.has(name)) {
    await writeAtomically(seedsDir, name, bytes, 'new');
    return { status: 'new', file: name };
  }
  const holder = existing.find((file) => documentIdFor(file) === id) ?? name;
  if (whenTaken === 'refuse') return { status: 'taken', file: name, existing: holder };
  const extension = path.extname(name);
  for (let n = 2; ; n++) {
    const candidate = `${id}-${n}${extension}`;
    const candidateId = documentIdFor(candidate);
    if (taken.has(candidateId) || others.has(candidate) || others.has(`${candidateId}.meta.json`)) continue;
    try {
      await writeAtomically(seedsDir, candidate, bytes, 'new');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue; // appeared meanwhile
      throw error;
    }
    return { status: 'renamed', file: candidate, existing: holder };
  }
}

/**
 * Written to a hidden file first (ingest ignores names starting with a dot), then put in place in
 * one step: a hard link for a new name, which fails rather than overwrite a file that appeared
 * meanwhile, or a rename when replacing.
 */
async function writeAtomically(seedsDir: string, name: string, bytes: Buffer, mode: 'new' | 'replace'): Promise<void> {
  const temporary = path.join(seedsDir, `.upload-${randomBytes(6).toString('hex')}${path.extname(name)}`);
  await writeFile(temporary, bytes, { flag: 'wx' });
  try {
    if (mode === 'replace') await rename(temporary, path.join(seedsDir, name));
    else await link(temporary, path.join(seedsDir, name));
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Takes a saved upload out again (it could not be indexed). */
export async function removeArticle(seedsDir: string, name: string): Promise<void> {
  await rm(path.join(seedsDir, name), { force: true });
}
