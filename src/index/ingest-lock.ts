import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ForumBotError } from '../errors.js';

/**
 * One ingest at a time per index folder. Two at once delete each other's generation folder and
 * can both report success over a manifest that points at a deleted one; the CLI and /reindex run
 * the same code. The lock is a file created exclusively, holding the owner's pid; a lock whose
 * process is gone (killed mid-ingest) is stale and taken over.
 */
export async function withIngestLock<T>(indexDir: string, work: () => Promise<T>): Promise<T> {
  const folder = path.resolve(indexDir);
  // Two ingests in this process (a /reindex while another runs) share the pid: known here.
  if (held.has(folder)) throw busy(folder, process.pid);
  held.add(folder);
  try {
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, '.ingest.lock');
    await acquire(file);
    try {
      return await work();
    } finally {
      await rm(file, { force: true });
    }
  } finally {
    held.delete(folder);
  }
}

const held = new Set<string>();

function busy(folder: string, pid: number): ForumBotError {
  return new ForumBotError(`Another ingest (process ${pid}) is updating ${folder}/; nothing was changed. Run it again when that one has finished.`);
}

async function acquire(file: string, attempt = 0): Promise<void> {
  try {
    const handle = await open(file, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw busy(path.dirname(file), owner);
    }
    // The owner is gone (or it is this process's own leftover): the lock is stale.
    await rm(file, { force: true });
    await acquire(file, attempt + 1);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
