import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { env } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { AUTO_FAILURE_FILE } from '../../src/embedding/auto-failures.js';
import { chooseEmbedder } from '../../src/app/choose-embedder.js';
import { buildConfiguredIndex } from '../../src/app/open-index.js';
import { REPO_SEEDS, temporaryDirectory } from '../support/seed-index.js';
import { buildTinyModel } from '../support/tiny-model.js';

/** A model hub that has no models: every file is a 404. It counts the requests that reach it. */
let hub: Server;
let hubRequests = 0;
let work: { dir: string; remove: () => Promise<void> };
const originalRemoteHost = env.remoteHost;

beforeAll(async () => {
  work = await temporaryDirectory('auto-embedder-');
  hub = createServer((_request, response) => {
    hubRequests++;
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  env.remoteHost = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  env.remoteHost = originalRemoteHost;
  hub.closeAllConnections();
  await new Promise<void>((resolve) => hub.close(() => resolve()));
  await work.remove();
});

function autoConfig(name: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    EMBEDDER: 'auto',
    SEEDS_DIR: REPO_SEEDS,
    INDEX_DIR: path.join(work.dir, name, 'index'),
    TRANSFORMERS_MODEL: 'nobody/no-such-model',
    TRANSFORMERS_CACHE_DIR: path.join(work.dir, name, 'models'),
    EMBEDDER_LOAD_TIMEOUT_MS: '5000',
    ...overrides,
  });
}

const fallbackLines = (logs: string[]) => logs.filter((line) => line.startsWith('Using the built-in lexical embedder'));

describe('EMBEDDER=auto when the model cannot be loaded', () => {
  it('tries the hub on the first ingest only, says so once, and a later run with the same settings does not try again', async () => {
    const config = autoConfig('remembered');
    const logs: string[] = [];
    const log = (line: string) => void logs.push(line);

    const first = await buildConfiguredIndex(config, { log });
    expect(first.manifest.embedder.id).toMatch(/^lexical:/);
    expect(hubRequests).toBeGreaterThan(0);
    expect(fallbackLines(logs)).toHaveLength(1);
    expect(fallbackLines(logs)[0]).toContain('nobody/no-such-model');
    const marker = JSON.parse(await readFile(path.join(config.indexDir, AUTO_FAILURE_FILE), 'utf8'));
    expect(marker.attempt.model).toBe('nobody/no-such-model');

    // A /reindex in the same process: no new attempt, no second line.
    const requestsAfterFirst = hubRequests;
    await buildConfiguredIndex(config, { log, force: true });
    expect(hubRequests).toBe(requestsAfterFirst);
    expect(fallbackLines(logs)).toHaveLength(1);

    // A separate run (fresh module state, as `npm run ingest` is a new process) reads the marker.
    vi.resetModules();
    const fresh = await import('../../src/app/choose-embedder.js');
    const embedder = await fresh.chooseEmbedder(config, log);
    expect(embedder.id).toMatch(/^lexical:/);
    expect(hubRequests).toBe(requestsAfterFirst);
    expect(fallbackLines(logs)).toHaveLength(1);

    // Changed settings (a longer time allowed) are a new attempt.
    await fresh.chooseEmbedder({ ...config, embedderLoadTimeoutMs: 8000 }, log);
    expect(hubRequests).toBeGreaterThan(requestsAfterFirst);
    expect(fallbackLines(logs)).toHaveLength(2);
  }, 20_000);

  it('tries again once the model files are put in place, and then uses the model', async () => {
    const config = autoConfig('files-arrive', { TRANSFORMERS_MODEL: 'tiny/test-embedder', TRANSFORMERS_ALLOW_REMOTE: 'false' });
    const logs: string[] = [];
    const log = (line: string) => void logs.push(line);

    expect((await chooseEmbedder(config, log)).id).toMatch(/^lexical:/);
    expect((await chooseEmbedder(config, log)).id).toMatch(/^lexical:/);
    expect(fallbackLines(logs)).toHaveLength(1);

    await buildTinyModel(config.transformersCacheDir!);
    const embedder = await chooseEmbedder(config, log);
    expect(embedder.id).toBe('transformers:tiny/test-embedder');
    expect(fallbackLines(logs)).toHaveLength(1);
    await expect(access(path.join(config.indexDir, AUTO_FAILURE_FILE))).rejects.toThrow();
  });
});
