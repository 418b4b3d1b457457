import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { buildIndex } from '../../src/index/build.js';
import { loadForumIndex, type ForumIndex } from '../../src/index/forum-index.js';

export const REPO_SEEDS = path.resolve(import.meta.dirname, '../../seeds');

export async function temporaryDirectory(prefix = 'forum-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A copy of the repo's seeds in a temp dir, so a test may add, change or remove articles. */
export async function copySeeds(target: string): Promise<string> {
  await cp(REPO_SEEDS, target, { recursive: true });
  return target;
}

/** The real index of the repo's seeds, built with the lexical embedder into `indexDir`. */
export async function buildSeedIndex(indexDir: string, seedsDir = REPO_SEEDS): Promise<ForumIndex> {
  await buildIndex({ seedsDir, indexDir, embedder: new LexicalEmbedder() });
  return loadForumIndex(indexDir, { resolveEmbedder: async (manifest) => new LexicalEmbedder(manifest.embedder.dimensions) });
}

/**
 * The index of the repo's seeds that globalSetup built once for the run, loaded afresh (each
 * caller gets its own loaded index and may close it). Only for tests that do not change it.
 */
export function sharedSeedIndex(): Promise<ForumIndex> {
  return loadForumIndex(inject('seedIndexDir'), { resolveEmbedder: async (manifest) => new LexicalEmbedder(manifest.embedder.dimensions) });
}

/**
 * A copy of that shared index in `indexDir`, loaded: for a test that needs the seed index in a
 * folder of its own (to ingest into it, or to serve it from a process) without building it again.
 */
export async function copyOfSharedSeedIndex(indexDir: string): Promise<ForumIndex> {
  await cp(inject('seedIndexDir'), indexDir, { recursive: true });
  return loadForumIndex(indexDir, { resolveEmbedder: async (manifest) => new LexicalEmbedder(manifest.embedder.dimensions) });
}

/** A temp dir whose seeds/ holds the given articles (file name → text), for a test that writes its own reports. */
export async function seedsWith(files: Record<string, string>): Promise<{ dir: string; seeds: string; remove: () => Promise<void> }> {
  const { dir, remove } = await temporaryDirectory();
  const seeds = path.join(dir, 'seeds');
  await mkdir(seeds);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(seeds, name), text);
  return { dir, seeds, remove };
}
