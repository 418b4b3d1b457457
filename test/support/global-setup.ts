import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { buildIndex } from '../../src/index/build.js';
import { REPO_SEEDS } from './seed-index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The index of the repo's seeds, built once for the whole run: tests that only read it load it from here. */
    seedIndexDir: string;
  }
}

/** Builds the seed index once per `npm test`, instead of once per test file that only reads it. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'forum-shared-index-'));
  const indexDir = path.join(dir, 'index');
  await buildIndex({ seedsDir: REPO_SEEDS, indexDir, embedder: new LexicalEmbedder() });
  project.provide('seedIndexDir', indexDir);
  return () => rm(dir, { recursive: true, force: true });
}
