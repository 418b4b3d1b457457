/**
 * What a name in seeds/ really is, before anything is read from it. Only regular files inside
 * the seeds folder are articles: a symbolic link may point to another file in the folder, but
 * one that leads out of it (`ln -s /etc/passwd seeds/passwd.txt`) would put any file of this
 * machine into the index and the bot's /sources, so it is refused. Folders, dangling links and
 * pipes are each named for what they are instead of "could not be read".
 */
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ArticleFileError } from '../errors.js';

export interface SeedFile {
  /** The file's real path (a link resolved). */
  path: string;
  size: number;
}

/** The real path of the seeds folder, so links are judged against where it really is. */
export async function seedsRoot(seedsDir: string): Promise<string> {
  return realpath(seedsDir);
}

/**
 * The regular file behind `name` in the seeds folder, or an ArticleFileError saying why there
 * is none; `undefined` when nothing by that name exists (for optional files such as sidecars).
 */
export async function resolveSeedFile(root: string, name: string, subject = name): Promise<SeedFile | undefined> {
  const listed = path.join(root, name);
  let link;
  try {
    link = await lstat(listed);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new ArticleFileError(subject, what(name, subject, `could not be examined (${codeOf(error)}); skipped`), { cause: error });
  }
  let real = listed;
  if (link.isSymbolicLink()) {
    const target = await readlink(listed).catch(() => '?');
    try {
      real = await realpath(listed);
    } catch (error) {
      throw new ArticleFileError(subject, what(name, subject, `is a symbolic link to ${target}, which points nowhere (nothing is there); skipped`), { cause: error });
    }
    if (!isInside(root, real)) {
      throw new ArticleFileError(
        subject,
        what(name, subject, `is a symbolic link to ${real}, outside the seeds folder; refused: only files inside the seeds folder are indexed`),
      );
    }
  }
  const info = link.isSymbolicLink() ? await stat(real) : link;
  if (info.isDirectory()) throw new ArticleFileError(subject, what(name, subject, `is a folder, not a file; skipped`));
  if (!info.isFile()) {
    throw new ArticleFileError(subject, what(name, subject, `is not a regular file (a named pipe, socket or device); skipped`));
  }
  return { path: real, size: info.size };
}

/** "a folder, …" for the article itself, "its metadata file a.meta.json is a folder, …" for its sidecar. */
function what(name: string, subject: string, predicate: string): string {
  return name === subject ? predicate.replace(/^is /, '') : `its metadata file ${name} ${predicate}`;
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}
