import { createAsker, type Asker } from '../../src/answering/ask.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { createLlmClient, type LlmSettings } from '../../src/llm/client.js';
import { createLlmComposer, type LlmComposerOptions } from '../../src/answering/llm/composer.js';
import { ANSWER_SYSTEM_PROMPT } from '../../src/answering/llm/prompt.js';
import { REWRITE_SYSTEM_PROMPT } from '../../src/answering/llm/rewrite.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi, type ScriptedReply } from '../support/fake-openai.js';
import { sharedSeedIndex } from '../support/seed-index.js';

export const TEST_API_KEY = 'sk-test-secret-0123456789abcdef';

/** Short limits so fault tests end quickly; each test may override. */
export function testSettings(fake: FakeOpenAi, overrides: Partial<LlmSettings> = {}): LlmSettings {
  return {
    apiKey: TEST_API_KEY,
    baseURL: fake.baseURL,
    model: 'fake-chat',
    timeoutMs: 1500,
    maxRetries: 2,
    maxRetryAfterMs: 1500,
    deadlineMs: 2500,
    cooldownMs: 0,
    ...overrides,
  };
}

export function llmAsker(
  index: ForumIndex,
  fake: FakeOpenAi,
  options: { settings?: Partial<LlmSettings>; composer?: Partial<Omit<LlmComposerOptions, 'client'>>; logs?: string[] } = {},
): Asker {
  const client = createLlmClient(testSettings(fake, options.settings));
  const composer = createLlmComposer({
    client,
    maxOutputTokens: 400,
    temperature: 0,
    promptTokens: 2500,
    historyTokens: 600,
    historyTurns: 4,
    log: (line) => options.logs?.push(line),
    ...options.composer,
  });
  return createAsker({ index, composer });
}

export const systemOf = (body: any): string => body.messages.find((m: any) => m.role === 'system')?.content ?? '';
export const userOf = (body: any): string => body.messages.filter((m: any) => m.role === 'user').at(-1)?.content ?? '';
export const isRewrite = (body: any): boolean => systemOf(body) === REWRITE_SYSTEM_PROMPT;
export const isAnswer = (body: any): boolean => systemOf(body) === ANSWER_SYSTEM_PROMPT;

export const questionOf = (body: any): string => /<question>([^]*?)<\/question>/.exec(userOf(body))?.[1] ?? '';

/** The passages of an answer request: number → text. */
export function passagesOf(body: any): Map<number, string> {
  const passages = new Map<number, string>();
  for (const match of userOf(body).matchAll(/<passage n="(\d+)"[^>]*>\n([^]*?)\n<\/passage>/g)) passages.set(Number(match[1]), match[2]!);
  return passages;
}

/** The number of the first passage in the request containing `text`; throws when none does. */
export function passageNumber(body: any, text: string): number {
  for (const [n, passage] of passagesOf(body)) if (passage.includes(text)) return n;
  throw new Error(`no passage in the request contains "${text}"`);
}

/** The number of the first passage in the request not containing `text`. */
export function passageWithout(body: any, text: string): number {
  for (const [n, passage] of passagesOf(body)) if (!passage.includes(text)) return n;
  throw new Error(`every passage in the request contains "${text}"`);
}

/** A chat handler that answers the answer request with `write(body)` and rewrite requests with `rewrite`. */
export function scripted(write: (body: any) => string, rewrite?: (body: any) => string): (body: any) => ScriptedReply {
  return (body) => {
    if (isRewrite(body)) return { kind: 'chat', content: rewrite ? rewrite(body) : questionOf(body) };
    return { kind: 'chat', content: write(body) };
  };
}

/** A suite's seeds index (built once) and a fresh local OpenAI-wire server per test. */
export function useSeedIndexAndModel(): { index: ForumIndex; fake: FakeOpenAi } {
  const context = {} as { index: ForumIndex; fake: FakeOpenAi };
  beforeAll(async () => {
    context.index = await sharedSeedIndex();
  });
  afterAll(() => context.index.close());
  beforeEach(async () => {
    context.fake = await startFakeOpenAi();
  });
  afterEach(() => context.fake.close());
  return context;
}
