/**
 * Remembers that EMBEDDER=auto could not load the transformers model, so every ingest and
 * /reindex does not wait for the same failed load again (up to EMBEDDER_LOAD_TIMEOUT_MS with no
 * network) and print the same fallback line again.
 *
 * Kept for the process, and in a small marker file in the index folder for later runs
 * (`npm run ingest` is a process of its own). Both are keyed by what decides whether the load can
 * succeed: the model, where it is looked for, whether downloads are allowed, the time allowed, and
 * the model's local files (size and time of each). Changing any of them — another model, a raised
 * timeout, the model files put in place — tries the load again.
 */
import { readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { modelFiles, modelsFolder, type TransformersEmbedderOptions } from './transformers.js';

export const AUTO_FAILURE_FILE = '.embedder-fallback.json';

type AutoOptions = Pick<TransformersEmbedderOptions, 'model' | 'cacheDir' | 'allowRemote' | 'loadTimeoutMs'>;

interface AutoFailureRecord {
  /** What the attempt depended on; the same settings and files again would fail again. */
  attempt: Record<string, unknown>;
  reason: string;
  failedAt: string;
}

/** Failed attempts in this process, by their attempt key. */
const failedHere = new Set<string>();

/** True when a load with these settings and files already failed (in this process, or as recorded in the index folder). */
export async function recallAutoFailure(indexDir: string, options: AutoOptions): Promise<boolean> {
  const key = JSON.stringify(await attemptOf(options));
  if (failedHere.has(key)) return true;
  const recorded = await readRecord(path.join(indexDir, AUTO_FAILURE_FILE));
  if (recorded && JSON.stringify(recorded.attempt) === key) {
    failedHere.add(key);
    return true;
  }
  return false;
}

/** Records a failed load; returns the marker file's path. */
export async function rememberAutoFailure(indexDir: string, options: AutoOptions, reason: string): Promise<string> {
  const attempt = await attemptOf(options);
  failedHere.add(JSON.stringify(attempt));
  const file = path.join(indexDir, AUTO_FAILURE_FILE);
  await mkdir(indexDir, { recursive: true });
  const record: AutoFailureRecord = { attempt, reason, failedAt: new Date().toISOString() };
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

/** The model loaded: an earlier failure recorded for the folder no longer holds. */
export async function forgetAutoFailure(indexDir: string): Promise<void> {
  await rm(path.join(indexDir, AUTO_FAILURE_FILE), { force: true }).catch(() => undefined);
}

async function attemptOf(options: AutoOptions): Promise<Record<string, unknown>> {
  const folder = path.resolve(await modelsFolder(options), options.model ?? '');
  const files: Record<string, string> = {};
  for (const name of modelFiles()) {
    const info = await stat(path.join(folder, name)).catch(() => undefined);
    files[name] = info ? `${info.size}:${Math.round(info.mtimeMs)}` : 'missing';
  }
  return {
    model: options.model ?? null,
    folder,
    allowRemote: options.allowRemote ?? true,
    loadTimeoutMs: options.loadTimeoutMs ?? null,
    files,
  };
}

async function readRecord(file: string): Promise<AutoFailureRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as AutoFailureRecord;
    return record && typeof record === 'object' && record.attempt ? record : undefined;
  } catch {
    return undefined; // none, or unreadable: try the load
  }
}
