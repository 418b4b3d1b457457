import OpenAI, { APIConnectionTimeoutError, APIError } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai.js';

let fake: FakeOpenAi;

beforeEach(async () => {
  fake = await startFakeOpenAi();
});
afterEach(async () => {
  await fake.close();
});

function client(options: { maxRetries?: number; timeout?: number } = {}): OpenAI {
  return new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseURL, maxRetries: 0, timeout: 2000, ...options });
}

const messages = [{ role: 'user' as const, content: '政协论坛讨论了什么？' }];

describe('fake OpenAI server', () => {
  it('answers a non-streaming chat completion and records the request', async () => {
    fake.enqueue({ kind: 'chat', content: '讨论了城市更新。' });
    const completion = await client().chat.completions.create({ model: 'fake-chat', messages });
    expect(completion.choices[0]?.message.content).toBe('讨论了城市更新。');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.model).toBe('fake-chat');
    const [request] = fake.chatRequests();
    expect(request?.method).toBe('POST');
    expect(request?.body.messages).toEqual(messages);
    expect(request?.headers.authorization).toBe('Bearer sk-test');
  });

  it('streams SSE chunks that assemble to the content', async () => {
    const content = 'The forum met on 12 March 2024 and discussed the Central Axis — 中轴线申遗。';
    fake.enqueue({ kind: 'chat', content });
    const stream = await client().chat.completions.create({
      model: 'fake-chat',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) pieces.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces.join('')).toBe(content);
    expect(pieces.length).toBeGreaterThan(5);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ completion_tokens: expect.any(Number) });
  });

  it('uses the chat handler when the queue is empty, and 400s without one', async () => {
    await expect(client().chat.completions.create({ model: 'm', messages })).rejects.toMatchObject({ status: 400 });
    fake.setChatHandler((body) => ({ kind: 'chat', content: `echo: ${body.messages.at(-1).content}` }));
    const completion = await client().chat.completions.create({ model: 'm', messages });
    expect(completion.choices[0]?.message.content).toBe(`echo: ${messages[0]!.content}`);
  });

  it('a 500 is retried by the client and then succeeds', async () => {
    fake.enqueue({ kind: 'status', status: 500 }, { kind: 'chat', content: 'second time lucky' });
    const completion = await client({ maxRetries: 1 }).chat.completions.create({ model: 'm', messages });
    expect(completion.choices[0]?.message.content).toBe('second time lucky');
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('a 500 without retries surfaces as an APIError with the OpenAI error message', async () => {
    fake.enqueue({ kind: 'status', status: 500 });
    const error = await client().chat.completions.create({ model: 'm', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(500);
    expect((error as APIError).message).toContain('fake-openai: scripted 500');
  });

  it('a 429 with Retry-After: 1 is retried after about a second', async () => {
    fake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, { kind: 'chat', content: 'ok' });
    const started = Date.now();
    const completion = await client({ maxRetries: 1 }).chat.completions.create({ model: 'm', messages });
    expect(completion.choices[0]?.message.content).toBe('ok');
    expect(fake.chatRequests()).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a hanging request is ended by the client timeout', async () => {
    fake.enqueue({ kind: 'hang' });
    const started = Date.now();
    await expect(client({ timeout: 200 }).chat.completions.create({ model: 'm', messages })).rejects.toBeInstanceOf(
      APIConnectionTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('close() does not wait for a hanging request', async () => {
    fake.enqueue({ kind: 'hang' });
    const pending = client({ timeout: 10_000 }).chat.completions.create({ model: 'm', messages });
    pending.catch(() => undefined);
    while (fake.chatRequests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await fake.close();
    expect(Date.now() - started).toBeLessThan(500);
    await expect(pending).rejects.toThrow();
  });

  it('a cut stream makes iteration fail after the first characters', async () => {
    fake.enqueue({ kind: 'cut-stream', content: 'abcdefghijklmnopqrstuvwxyz', cutAfterChars: 12 });
    const stream = await client().chat.completions.create({ model: 'm', messages, stream: true });
    const pieces: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(pieces.join('')).toBe('abcdefghijkl');
  });

  it('a raw malformed reply is passed through', async () => {
    fake.enqueue({ kind: 'raw', status: 200, body: '{"choices": [' });
    await expect(client().chat.completions.create({ model: 'm', messages })).rejects.toThrow();
  });

  it('serves embeddings (float and the client default base64) deterministically', async () => {
    const floats = await client().embeddings.create({ model: 'e', input: ['a', 'b', 'a'], encoding_format: 'float' });
    expect(floats.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(floats.data[0]?.embedding).toHaveLength(16);
    expect(floats.data[0]?.embedding).toEqual(floats.data[2]?.embedding);
    expect(floats.data[0]?.embedding).not.toEqual(floats.data[1]?.embedding);
    const decoded = await client().embeddings.create({ model: 'e', input: 'a' });
    expect(decoded.data[0]?.embedding).toEqual(floats.data[0]?.embedding);
    const truncated = await client().embeddings.create({ model: 'e', input: 'a', dimensions: 4, encoding_format: 'float' });
    expect(truncated.data[0]?.embedding).toEqual(floats.data[0]?.embedding.slice(0, 4));
    expect(fake.embeddingRequests()).toHaveLength(3);
  });

  it('embeddings can be scripted to fail, and embed can be overridden', async () => {
    fake.failEmbeddings(503, 1);
    await expect(client().embeddings.create({ model: 'e', input: 'x' })).rejects.toMatchObject({ status: 503 });
    fake.embed = (text) => [text.length, 1];
    const reply = await client().embeddings.create({ model: 'e', input: 'xyz', encoding_format: 'float' });
    expect(reply.data[0]?.embedding).toEqual([3, 1]);
  });

  it('lists models and 404s unknown paths in the OpenAI error shape', async () => {
    const models = await client().models.list();
    expect(models.data.map((m) => m.id)).toContain('fake-chat');
    const response = await fetch(`${fake.baseURL}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('/v1/nope'), type: expect.any(String) } });
  });
});
