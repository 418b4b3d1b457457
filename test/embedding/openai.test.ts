import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOpenAiEmbedder, type OpenAiEmbedderOptions } from '../../src/embedding/openai.js';
import { EmbedderError } from '../../src/errors.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';

const API_KEY = 'sk-secret-test-key-0123456789';
let fake: FakeOpenAi;

beforeEach(async () => {
  fake = await startFakeOpenAi({ embeddingDimensions: 16 });
});
afterEach(async () => {
  await fake.close();
});

function load(options: Partial<OpenAiEmbedderOptions> = {}) {
  return loadOpenAiEmbedder({ apiKey: API_KEY, baseURL: fake.baseURL, model: 'fake-embedding', maxRetries: 0, timeoutMs: 1000, ...options });
}

function norm(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
}

async function rejection(promise: Promise<unknown>): Promise<EmbedderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EmbedderError);
  return error as EmbedderError;
}

describe('loadOpenAiEmbedder', () => {
  it('finds the dimensions with a probe call when none are given', async () => {
    const embedder = await load();
    expect(embedder.dimensions).toBe(16);
    expect(embedder.id).toBe('openai:fake-embedding:16');
    expect(fake.embeddingRequests()).toHaveLength(1);
    const [probe] = fake.embeddingRequests();
    expect(probe?.body).toMatchObject({ model: 'fake-embedding', encoding_format: 'float' });
    expect(probe?.body.dimensions).toBeUndefined();
    expect(probe?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('asks the server for the given dimensions without a probe', async () => {
    const embedder = await load({ dimensions: 8 });
    expect(embedder.id).toBe('openai:fake-embedding:8');
    expect(fake.embeddingRequests()).toHaveLength(0);
    const vector = await embedder.embedQuery('中轴线');
    expect(vector).toHaveLength(8);
    expect(fake.embeddingRequests()[0]?.body).toMatchObject({ dimensions: 8, input: ['中轴线'] });
  });

  it('returns unit vectors in input order across batches', async () => {
    const embedder = await load({ batchSize: 2 });
    const texts = ['北京', '政协', '论坛', 'city renewal', 'Central Axis'];
    fake.requests.length = 0;
    const vectors = await embedder.embedDocuments(texts);

    expect(fake.embeddingRequests().map((r) => r.body.input)).toEqual([texts.slice(0, 2), texts.slice(2, 4), texts.slice(4)]);
    expect(vectors).toHaveLength(5);
    for (const [i, vector] of vectors.entries()) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(16);
      expect(norm(vector)).toBeCloseTo(1, 5);
      expect(vector).toEqual(await embedder.embedQuery(texts[i]!));
    }
  });

  it('puts vectors back in input order when the server shuffles them', async () => {
    const embedder = await load();
    const texts = ['one', 'two', 'three'];
    const expected = await embedder.embedDocuments(texts);
    fake.enqueueEmbeddings({
      kind: 'raw',
      status: 200,
      body: JSON.stringify({
        object: 'list',
        model: 'fake-embedding',
        data: [2, 0, 1].map((index) => ({ object: 'embedding', index, embedding: fake.embed(texts[index]!) })),
        usage: { prompt_tokens: 3, total_tokens: 3 },
      }),
    });
    expect(await embedder.embedDocuments(texts)).toEqual(expected);
  });

  it('gives identical text an identical vector', async () => {
    const embedder = await load();
    const [a, b, c] = await embedder.embedDocuments(['同一段话', '另一段话', '同一段话']);
    expect(a).toEqual(c);
    expect(a).not.toEqual(b);
    expect(await embedder.embedQuery('同一段话')).toEqual(a);
  });

  it('embeds nothing without a request', async () => {
    const embedder = await load();
    fake.requests.length = 0;
    expect(await embedder.embedDocuments([])).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('works without an API key (local servers)', async () => {
    const embedder = await load({ apiKey: undefined });
    expect(embedder.dimensions).toBe(16);
    expect(fake.embeddingRequests()[0]?.headers.authorization).toBe('Bearer not-needed');
  });

  it('a server error becomes an EmbedderError naming the base URL, not the API key', async () => {
    const embedder = await load();
    fake.failEmbeddings(500);
    const error = await rejection(embedder.embedDocuments(['text']));
    expect(error.message).toContain(fake.baseURL);
    expect(error.message).toContain('500');
    expect(error.message).not.toContain(API_KEY);
    expect(error.cause).toBeDefined();
  });

  it('a failing probe fails the load', async () => {
    fake.failEmbeddings(401);
    const error = await rejection(load());
    expect(error.message).toContain(fake.baseURL);
    expect(error.message).toContain('check the API key');
    expect(error.message).not.toContain(API_KEY);
  });

  it('scrubs the API key when a server echoes it back', async () => {
    fake.enqueueEmbeddings({
      kind: 'status',
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } },
    });
    const error = await rejection(load());
    expect(error.message).not.toContain(API_KEY);
    expect(String((error.cause as Error).message)).not.toContain(API_KEY);
  });

  it('an unreachable server fails the load with the URL in the message', async () => {
    const url = fake.baseURL;
    await fake.close();
    const error = await rejection(loadOpenAiEmbedder({ baseURL: url, model: 'm', maxRetries: 0, timeoutMs: 1000 }));
    expect(error.message).toContain(url);
  });

  it('a hanging server fails after the timeout', async () => {
    const embedder = await load({ timeoutMs: 200 });
    fake.enqueueEmbeddings({ kind: 'hang' });
    const error = await rejection(embedder.embedQuery('text'));
    expect(error.message).toContain('did not answer in time');
  });

  it('rejects vectors of the wrong dimension', async () => {
    const embedder = await load();
    fake.embed = (text) => new Array<number>(text === 'short' ? 8 : 16).fill(1);
    const error = await rejection(embedder.embedDocuments(['fine', 'short']));
    expect(error.message).toMatch(/8 dimensions, expected 16/);
    expect(error.message).toContain(fake.baseURL);
  });

  it('rejects replies with the wrong number of embeddings or malformed JSON', async () => {
    const embedder = await load();
    fake.enqueueEmbeddings(
      { kind: 'raw', status: 200, body: JSON.stringify({ object: 'list', data: [], model: 'm' }) },
      { kind: 'raw', status: 200, body: '{"data": [' },
    );
    expect((await rejection(embedder.embedQuery('x'))).message).toContain('0 embeddings for 1 texts');
    expect((await rejection(embedder.embedQuery('x'))).message).toContain(fake.baseURL);
  });

  it('rejects bad options', async () => {
    await rejection(load({ model: ' ' }));
    await rejection(load({ batchSize: 0 }));
    await rejection(load({ dimensions: 1.5 }));
    expect(fake.requests).toHaveLength(0);
  });
});
