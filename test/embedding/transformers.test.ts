import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { env } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTransformersEmbedder } from '../../src/embedding/transformers.js';
import type { Embedder } from '../../src/embedding/embedder.js';
import { EmbedderError } from '../../src/errors.js';
import { buildTinyModel, type TinyModel } from '../support/tiny-model.js';

let workDir: string;
let tiny: TinyModel;
let tinyE5: TinyModel;
let embedder: Embedder;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'transformers-embedder-'));
  tiny = await buildTinyModel(path.join(workDir, 'models'));
  tinyE5 = await buildTinyModel(path.join(workDir, 'models'), 'tiny/test-e5');
  embedder = await loadTransformersEmbedder({
    model: tiny.model,
    localModelPath: tiny.localModelPath,
    allowRemote: false,
  });
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot; // the vectors are unit length
}

function length(vector: Float32Array): number {
  return Math.sqrt(cosine(vector, vector));
}

/** Resolves when every request's connection has closed, or after `ms`, whichever comes first. */
async function closedWithin(requests: IncomingMessage[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const allClosed = Promise.all(
    requests.map((request) =>
      request.socket.destroyed ? undefined : new Promise((resolve) => request.socket.once('close', resolve)),
    ),
  );
  await Promise.race([allClosed, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
}

describe('loadTransformersEmbedder with a local model', () => {
  it('measures the dimensions and names itself after the model', () => {
    expect(embedder.dimensions).toBe(8);
    expect(tiny.dimensions).toBe(8);
    expect(embedder.id).toBe('transformers:tiny/test-embedder');
  });

  it('returns one unit-length vector per text', async () => {
    const vectors = await embedder.embedDocuments(['北京政协', 'the forum of the city', '']);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(8);
      expect(length(vector)).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic and tells different texts apart', async () => {
    const [first, again, other] = await embedder.embedDocuments(['北京政协', '北京政协', '委员会议']);
    expect(Array.from(again!)).toEqual(Array.from(first!));
    expect(cosine(first!, other!)).toBeLessThan(0.99);
  });

  it('scores texts sharing tokens above unrelated texts', async () => {
    // In the tiny model 北京 / 政协 / 委员 / 会议 lie on disjoint axes, so sharing 北京 is the only overlap.
    const [capitalCommittee, capitalMembers, meeting] = await embedder.embedDocuments(['北京政协', '北京委员', '会议']);
    const shared = cosine(capitalCommittee!, capitalMembers!);
    const unrelated = cosine(capitalCommittee!, meeting!);
    expect(shared).toBeGreaterThan(0.3);
    expect(shared).toBeGreaterThan(unrelated + 0.3);
  });

  it('gives the same vectors whatever the batch size', async () => {
    const texts = ['北京', '政协委员', 'forum', '市民生活发展', 'beijing cppcc meeting'];
    const oneBatch = await embedder.embedDocuments(texts);
    const smallBatches = await (
      await loadTransformersEmbedder({ model: tiny.model, localModelPath: tiny.localModelPath, allowRemote: false, batchSize: 2 })
    ).embedDocuments(texts);
    expect(smallBatches).toHaveLength(texts.length);
    smallBatches.forEach((vector, i) => expectClose(vector, oneBatch[i]!));
  });

  it('copies vectors out of the model output', async () => {
    const [a, b] = await embedder.embedDocuments(['北京', '政协']);
    a!.fill(0);
    expect(length(b!)).toBeCloseTo(1, 5);
  });

  it('loads the unquantized file when asked, and says so in the id', async () => {
    const unquantized = await loadTransformersEmbedder({
      model: tiny.model,
      localModelPath: tiny.localModelPath,
      allowRemote: false,
      quantized: false,
    });
    expect(unquantized.id).toBe('transformers:tiny/test-embedder:unquantized');
    expectClose(await unquantized.embedQuery('北京'), await embedder.embedQuery('北京'));
  });
});

describe('query and passage prefixes', () => {
  it('uses no prefixes for non-e5 models', async () => {
    const [asDocument] = await embedder.embedDocuments(['北京政协']);
    expectClose(await embedder.embedQuery('北京政协'), asDocument!);
  });

  it('uses "query: " and "passage: " for e5 models', async () => {
    const e5 = await loadTransformersEmbedder({ model: tinyE5.model, localModelPath: tinyE5.localModelPath, allowRemote: false });
    expect(e5.id).toBe('transformers:tiny/test-e5');

    const [passage] = await e5.embedDocuments(['北京政协']);
    const query = await e5.embedQuery('北京政协');
    expect(cosine(query, passage!)).toBeLessThan(0.999);

    const [expectedQuery, expectedPassage] = await embedder.embedDocuments(['query: 北京政协', 'passage: 北京政协']);
    expectClose(query, expectedQuery!);
    expectClose(passage!, expectedPassage!);
  });

  it('applies explicit prefixes and records a custom passage prefix in the id', async () => {
    const prefixed = await loadTransformersEmbedder({
      model: tiny.model,
      localModelPath: tiny.localModelPath,
      allowRemote: false,
      queryPrefix: 'query: ',
      passagePrefix: 'passage: ',
    });
    expect(prefixed.id).toBe('transformers:tiny/test-embedder:passage="passage: "');
    const [expectedQuery] = await embedder.embedDocuments(['query: 北京']);
    expectClose(await prefixed.embedQuery('北京'), expectedQuery!);
  });
});

describe('load failures', () => {
  it('rejects quickly with EmbedderError when the model is missing and downloads are off', async () => {
    const emptyDir = path.join(workDir, 'empty');
    const started = Date.now();
    const error = await loadTransformersEmbedder({
      model: 'nobody/missing-model',
      localModelPath: emptyDir,
      cacheDir: emptyDir,
      allowRemote: false,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EmbedderError);
    expect((error as EmbedderError).message).toContain('nobody/missing-model');
    expect((error as EmbedderError).message).toContain(emptyDir);
    expect((error as EmbedderError).cause).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(env.allowRemoteModels).toBe(true); // settings are per load, not left behind
  });

  it('gives up on a hub that never answers, and aborts the downloads', async () => {
    const pending: IncomingMessage[] = [];
    const silentHub = createServer((request) => {
      pending.push(request); // accept, never respond
    });
    await new Promise<void>((resolve) => silentHub.listen(0, '127.0.0.1', resolve));
    const { port } = silentHub.address() as AddressInfo;
    const originalRemoteHost = env.remoteHost;
    const originalFetch = globalThis.fetch;
    env.remoteHost = `http://127.0.0.1:${port}/`;
    try {
      const emptyDir = path.join(workDir, 'no-local-copy');
      const started = Date.now();
      const error = await loadTransformersEmbedder({
        model: 'remote/never-answers',
        localModelPath: emptyDir,
        cacheDir: emptyDir,
        loadTimeoutMs: 500,
      }).catch((e: unknown) => e);
      const elapsed = Date.now() - started;

      expect(error).toBeInstanceOf(EmbedderError);
      expect((error as EmbedderError).message).toMatch(/within 0\.5 s/);
      expect(elapsed).toBeGreaterThanOrEqual(450);
      expect(elapsed).toBeLessThan(2000);
      expect(globalThis.fetch).toBe(originalFetch);

      // The requests did reach the hub, and the client hung up on them when the load gave up.
      expect(pending.length).toBeGreaterThan(0);
      await closedWithin(pending, 1000);
      expect(pending.filter((request) => !request.socket.destroyed).map((request) => request.url)).toEqual([]);
    } finally {
      env.remoteHost = originalRemoteHost;
      silentHub.closeAllConnections();
      await new Promise<void>((resolve, reject) => silentHub.close((e) => (e ? reject(e) : resolve())));
    }
  });
});
