// Everything that can go wrong with the LLM server ends in an answer: retried and answered, or
// the extractive answer with a one-line notice, within the configured limits.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { sharedSeedIndex } from '../support/seed-index.js';
import { TEST_API_KEY, llmAsker, passageNumber, scripted } from './helpers.js';

const PLATFORM = '新一代移动信息网络技术产业中试平台';
const QUESTION = '黄宇红建议把哪个平台升级为国家级中试平台?';
const GOOD = scripted((body) => `黄宇红建议升级“${PLATFORM}”[${passageNumber(body, PLATFORM)}]。`);

let index: ForumIndex;
let fake: FakeOpenAi;

beforeAll(async () => {
  index = await sharedSeedIndex();
});
afterAll(() => index.close());
beforeEach(async () => {
  fake = await startFakeOpenAi();
});
afterEach(() => fake.close());

/** The extractive answer, marked as a fallback. */
function expectFallback(trace: { mode: string; notices?: string[]; answer: string; citations: unknown[] }, reason: RegExp): void {
  expect(trace.mode).toBe('extractive');
  expect(trace.notices).toHaveLength(1);
  expect(trace.notices![0]).toMatch(reason);
  expect(trace.notices![0]).not.toContain('\n');
  expect(trace.answer).toContain(PLATFORM);
  expect(trace.citations.length).toBeGreaterThan(0);
}

describe('LLM faults', () => {
  it('two 500s, then success: retried and answered', async () => {
    fake.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    fake.setChatHandler(GOOD);
    const trace = await llmAsker(index, fake, { settings: { deadlineMs: 2900 } })(QUESTION);
    expect(trace.mode).toBe('llm');
    expect(trace.answer).toBe(`黄宇红建议升级“${PLATFORM}”[1]。`);
    expect(fake.chatRequests()).toHaveLength(3);
  });

  it('a 429 with Retry-After: 1 is waited out, retried and answered', async () => {
    fake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '1' } });
    fake.setChatHandler(GOOD);
    const started = Date.now();
    const trace = await llmAsker(index, fake)(QUESTION);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(trace.mode).toBe('llm');
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('a Retry-After beyond the cap is not waited for: extractive at once', async () => {
    fake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
    fake.setChatHandler(GOOD);
    const started = Date.now();
    const trace = await llmAsker(index, fake, { settings: { deadlineMs: 60_000 } })(QUESTION);
    expect(Date.now() - started).toBeLessThan(1000);
    expectFallback(trace, /rate limited|请求过于频繁/);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('a server that never answers: extractive with a notice after the timeout', async () => {
    fake.setChatHandler(() => ({ kind: 'hang' }));
    const started = Date.now();
    const trace = await llmAsker(index, fake, { settings: { timeoutMs: 300, maxRetries: 1 } })(QUESTION);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(550);
    expect(elapsed).toBeLessThan(1600);
    expectFallback(trace, /超时/);
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('the deadline ends a call whose retries would take longer', async () => {
    fake.setChatHandler(() => ({ kind: 'hang' }));
    const started = Date.now();
    const trace = await llmAsker(index, fake, { settings: { timeoutMs: 1000, maxRetries: 5, deadlineMs: 400 } })(QUESTION);
    expect(Date.now() - started).toBeLessThan(900);
    expectFallback(trace, /超时/);
  });

  it('a stream that goes quiet is ended after the timeout', async () => {
    fake.setChatHandler(() => ({ kind: 'chat', content: '黄宇红建议升级这个平台。', pieceSize: 2, delayMs: 5000 }));
    const started = Date.now();
    const trace = await llmAsker(index, fake, { settings: { timeoutMs: 300, maxRetries: 0 } })(QUESTION, { onText: () => undefined });
    expect(Date.now() - started).toBeLessThan(1200);
    expectFallback(trace, /超时/);
  });

  it('a stream cut mid-way: extractive with a notice, no crash, nothing unverified kept', async () => {
    fake.setChatHandler((body) => ({
      kind: 'cut-stream',
      content: `黄宇红建议升级“${PLATFORM}”[${passageNumber(body, PLATFORM)}]。她还建议投资500亿元[1]。`,
      cutAfterChars: 30,
      pieceSize: 4,
    }));
    const seen: string[] = [];
    const trace = await llmAsker(index, fake, { settings: { maxRetries: 0 } })(QUESTION, { onText: (text) => seen.push(text) });
    expect(seen.length).toBeGreaterThan(0);
    expectFallback(trace, /回复格式有误|无法连接/);
    expect(trace.answer).not.toContain('500亿元');
  });

  it('malformed replies (empty content, no choices, bad JSON, a bad stream chunk) all fall back', async () => {
    const ask = llmAsker(index, fake, { settings: { maxRetries: 0 } });
    fake.enqueue({ kind: 'chat', content: '' });
    expectFallback(await ask(QUESTION), /回复格式有误/);
    fake.enqueue({ kind: 'raw', status: 200, body: JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [] }) });
    expectFallback(await ask(QUESTION), /回复格式有误/);
    fake.enqueue({ kind: 'raw', status: 200, body: '{"choices": [' });
    expectFallback(await ask(QUESTION), /回复格式有误/);
    const chunk = { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: '黄宇红' } }] };
    fake.enqueue({ kind: 'raw', status: 200, headers: { 'content-type': 'text/event-stream' }, body: `data: ${JSON.stringify(chunk)}\n\ndata: {not json\n\n` });
    expectFallback(await ask(QUESTION, { onText: () => undefined }), /回复格式有误/);
    // A stream that ends without a finish reason or [DONE] is incomplete.
    fake.enqueue({ kind: 'raw', status: 200, headers: { 'content-type': 'text/event-stream' }, body: `data: ${JSON.stringify(chunk)}\n\n` });
    expectFallback(await ask(QUESTION, { onText: () => undefined }), /回复格式有误/);
  });

  it('an unreachable server: extractive with a notice', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const trace = await llmAsker(index, fake, { settings: { baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 } })(QUESTION);
    expectFallback(trace, /无法连接/);
  });

  it('after a failure, the cooldown answers extractively without calling the server again', async () => {
    fake.enqueue({ kind: 'status', status: 503 });
    const ask = llmAsker(index, fake, { settings: { maxRetries: 0, cooldownMs: 60_000 } });
    expectFallback(await ask(QUESTION), /服务出错/);
    fake.setChatHandler(GOOD);
    expectFallback(await ask(QUESTION), /稍后再试/);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('never puts the API key in notices or logs, even when the server echoes it', async () => {
    fake.enqueue({ kind: 'status', status: 401, body: { error: { message: `Incorrect API key provided: ${TEST_API_KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } } });
    const logs: string[] = [];
    const trace = await llmAsker(index, fake, { logs })(QUESTION);
    expectFallback(trace, /请求被拒绝/);
    expect(logs.join('\n')).toContain('[redacted]');
    expect(JSON.stringify({ trace, logs })).not.toContain(TEST_API_KEY);
  });

  it('adapts once to a reasoning model that rejects max_tokens and temperature', async () => {
    const rejection = (message: string) => ({ kind: 'status' as const, status: 400, body: { error: { message, type: 'invalid_request_error', code: 'unsupported_parameter' } } });
    fake.enqueue(
      rejection("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."),
      rejection("Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported."),
    );
    fake.setChatHandler(GOOD);
    const ask = llmAsker(index, fake);
    expect((await ask(QUESTION)).mode).toBe('llm');
    expect((await ask(QUESTION)).mode).toBe('llm');
    const bodies = fake.chatRequests().map((request) => request.body);
    expect(bodies).toHaveLength(4);
    expect(bodies[2]).toMatchObject({ max_completion_tokens: 400 });
    expect(bodies[3]).not.toHaveProperty('max_tokens');
    expect(bodies[3]).not.toHaveProperty('temperature');
  });

  it('a caller abort is passed on, not turned into a fallback', async () => {
    fake.setChatHandler(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 100);
    await expect(llmAsker(index, fake)(QUESTION, { signal: controller.signal })).rejects.toThrow('user left');
  });
});
