import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { loadForumIndex, type ForumIndex } from '../../src/index/forum-index.js';
import { createBot, type BotDeps } from '../../src/telegram/bot.js';
import { Inflight } from '../../src/telegram/inflight.js';
import { startPolling, type RunningBot } from '../../src/telegram/run.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { copyOfSharedSeedIndex } from '../support/seed-index.js';

export const TOKEN = '123456789:TEST-token-for-the-fake-server-only';
export const SEEDS = path.resolve('seeds');

/** A real index of the repo's seeds (built with the lexical embedder, once per run) in a temp dir of its own. */
export async function buildTestIndex(): Promise<{ directory: string; index: ForumIndex; cleanup: () => Promise<void> }> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'forum-bot-index-'));
  const index = await copyOfSharedSeedIndex(directory);
  return { directory, index, cleanup: () => rm(directory, { recursive: true, force: true }) };
}

export function loadTestIndex(directory: string): Promise<ForumIndex> {
  return loadForumIndex(directory, { resolveEmbedder: async () => new LexicalEmbedder() });
}

export interface TestBot {
  fake: FakeTelegram;
  running: RunningBot;
  inflight: Inflight;
  logs: string[];
  stop(): Promise<void>;
}

/** The real bot, long polling the fake server. Throttling is off unless asked for (it only adds waiting). */
export async function startTestBot(deps: Partial<BotDeps> & Pick<BotDeps, 'index'>): Promise<TestBot> {
  const fake = await startFakeTelegram({ username: 'test_bot' });
  const logs: string[] = [];
  const log = (line: string) => void logs.push(line);
  const inflight = new Inflight();
  const bot = createBot({ token: TOKEN, apiRoot: fake.apiRoot, throttle: false, inflight, log, ...deps });
  const running = await startPolling(bot, { inflight, log });
  await fake.waitFor((calls) => calls.some((call) => call.method === 'getUpdates'));
  return {
    fake,
    running,
    inflight,
    logs,
    async stop() {
      await running.stop();
      await inflight.drain(2000);
      await fake.close();
    },
  };
}

/** Messages the bot sent to a chat with the given method (sendMessage by default). */
export function replies(fake: FakeTelegram, chatId: number) {
  return fake.sentMessages(chatId).filter((message) => message.method === 'sendMessage');
}

export function waitForReplies(fake: FakeTelegram, chatId: number, count: number, timeoutMs = 5000): Promise<void> {
  return fake.waitFor(() => replies(fake, chatId).length >= count, timeoutMs);
}
