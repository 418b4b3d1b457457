import { open, readdir, rm, statfs } from 'node:fs/promises';
import path from 'node:path';
import { IndexError } from '../errors.js';

/**
 * Writing a generation so that a crash or a full disk never leaves a manifest pointing at data
 * that is not on disk: every file is flushed (fsync) before the manifest that names it is renamed
 * in, and the folders are flushed so the new names survive a power cut too.
 */

/** Writes the bytes and flushes them to disk before returning. */
export async function writeDurably(file: string, data: Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a file another library wrote (hnswlib's graph), or a folder's entries. */
export async function flush(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The temporary manifests a killed ingest leaves (`.manifest.json.<pid>.tmp`). */
export async function removeTemporaryManifests(indexDir: string, manifestFile: string): Promise<void> {
  const names = await readdir(indexDir).catch(() => [] as string[]);
  for (const name of names) if (name.startsWith(`.${manifestFile}.`) && name.endsWith('.tmp')) await rm(path.join(indexDir, name), { force: true });
}

/**
 * A write that failed takes its partial output with it, and a full disk is said in words: which
 * folder, how much the index needs and how much is free.
 */
export async function explainWriteFailure(error: unknown, indexDir: string, bytesNeeded: number): Promise<Error> {
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    const free = await statfs(indexDir).then((info) => info.bavail * info.bsize).catch(() => undefined);
    return new IndexError(
      `The disk holding ${indexDir} is full: the index needs about ${megabytes(bytesNeeded)}${free === undefined ? '' : ` and ${megabytes(free)} is free`}. ` +
        'Nothing was changed (the previous index is still in use); free some space and run the ingest again.',
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

function megabytes(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
