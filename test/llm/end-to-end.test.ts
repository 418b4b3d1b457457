// Configuration to answer, all through the OpenAI wire: EMBEDDER=openai builds the index with the
// server's /v1/embeddings, OPENAI_MODEL makes `createComposer` pick the LLM composer, and a
// question gets a verified, cited answer. Also: which composer the settings select.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAsker } from '../../src/answering/ask.js';
import { createComposer, describeComposer } from '../../src/app/choose-composer.js';
import { extractiveComposer } from '../../src/answering/composer.js';
import { loadConfig } from '../../src/config.js';
import { buildConfiguredIndex, loadConfiguredIndex } from '../../src/app/open-index.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { REPO_SEEDS, temporaryDirectory } from '../support/seed-index.js';
import { TEST_API_KEY, passageNumber, scripted } from './helpers.js';

let fake: FakeOpenAi;
let temp: { dir: string; remove: () => Promise<void> };

beforeEach(async () => {
  fake = await startFakeOpenAi({ embeddingDimensions: 64 });
  temp = await temporaryDirectory('llm-e2e-');
});
afterEach(async () => {
  await fake.close();
  await temp.remove();
});

describe('OpenAI embedder and LLM composer end to end', () => {
  it('ingests with /v1/embeddings, answers with /v1/chat/completions, cites the Chinese passage', async () => {
    const config = loadConfig({
      SEEDS_DIR: REPO_SEEDS,
      INDEX_DIR: path.join(temp.dir, 'index'),
      EMBEDDER: 'openai',
      OPENAI_EMBEDDING_MODEL: 'fake-embedding',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: TEST_API_KEY,
      OPENAI_MODEL: 'fake-chat',
      OPENAI_TIMEOUT_MS: '2000',
    });
    const logs: string[] = [];
    const build = await buildConfiguredIndex(config, { log: (line) => logs.push(line) });
    expect(build.manifest.embedder.id).toBe('openai:fake-embedding:64');
    const embeddingCalls = fake.embeddingRequests().length;
    expect(embeddingCalls).toBeGreaterThan(0);

    const index = await loadConfiguredIndex(config);
    const composer = createComposer(config, (line) => logs.push(line));
    expect(describeComposer(composer)).toBe('llm (fake-chat)');
    const platform = '新一代移动信息网络技术产业中试平台';
    fake.setChatHandler(scripted((body) => `黄宇红建议将“${platform}”升级为国家级中试平台[${passageNumber(body, platform)}]。`));

    const trace = await createAsker({ index, composer })('黄宇红建议把哪个平台升级为国家级中试平台?');
    expect(trace).toMatchObject({ mode: 'llm', refused: false, dropped: [] });
    expect(trace.answer).toBe(`黄宇红建议将“${platform}”升级为国家级中试平台[1]。`);
    expect(trace.citations[0]!.text).toContain(platform);
    // The question itself was embedded by the same server.
    expect(fake.embeddingRequests().length).toBe(embeddingCalls + 1);
    expect(fake.embeddingRequests().at(-1)!.body.input).toEqual(['黄宇红建议把哪个平台升级为国家级中试平台?']);
    expect(logs.join('\n')).toContain('Answering with fake-chat at http://127.0.0.1');
    expect(logs.join('\n')).not.toContain(TEST_API_KEY);
  });
});

describe('createComposer', () => {
  it('is extractive without OPENAI_MODEL, or with a model but no server or key', () => {
    expect(createComposer(loadConfig({}))).toBe(extractiveComposer);
    const logs: string[] = [];
    expect(createComposer(loadConfig({ OPENAI_MODEL: 'm' }), (line) => logs.push(line))).toBe(extractiveComposer);
    expect(logs[0]).toContain('answering extractively');
  });

  it('is the LLM composer with a model and a base URL or a key', () => {
    expect(createComposer(loadConfig({ OPENAI_MODEL: 'qwen2.5', OPENAI_BASE_URL: 'http://localhost:11434/v1' })).mode).toBe('llm');
    const logs: string[] = [];
    const composer = createComposer(loadConfig({ OPENAI_MODEL: 'gpt-4o-mini', OPENAI_API_KEY: TEST_API_KEY }), (line) => logs.push(line));
    expect(composer.mode).toBe('llm');
    expect(logs).toEqual(['Answering with gpt-4o-mini at https://api.openai.com/v1 (verified citations; extractive when it fails).']);
  });
});
