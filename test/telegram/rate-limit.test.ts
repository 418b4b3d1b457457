/**
 * The per-user question limit: one notice per window saying when the user may ask again (in the
 * question's language), silence for the rest of that window, a fresh allowance after it — counted
 * in memory or in the real redis-server, and no limit while Redis is away.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { memoryCounter } from '../../src/telegram/rate-limit.js';
import { createSessionStore, type SessionStore } from '../../src/telegram/session.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { buildTestIndex, replies, startTestBot, waitForReplies, type TestBot } from './helpers.js';

const QUESTION = '黄宇红建议把哪个平台升级为国家级中试平台?';
const ENGLISH = 'What did Huang Yuhong propose?';
const PLATFORM = '新一代移动信息网络技术产业中试平台';

let index: ForumIndex;
let cleanup: () => Promise<void>;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ index, cleanup } = await buildTestIndex());
}, 30_000);
afterAll(() => cleanup());
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function start(rateLimit: Parameters<typeof startTestBot>[0]['rateLimit']): Promise<TestBot> {
  const bot = await startTestBot({ index: () => index, rateLimit });
  stops.push(() => bot.stop());
  return bot;
}

/** Sends in turn (each handled before the next), and returns what the chat has been told so far. */
async function askAll(bot: TestBot, chatId: number, texts: string[]): Promise<string[]> {
  for (const text of texts) {
    const update = bot.fake.sendText({ chatId, text });
    await bot.fake.waitFor(() => bot.inflight.lastUpdateId >= update.update_id && bot.inflight.size === 0);
  }
  return replies(bot.fake, chatId).map((message) => message.plainText);
}

describe('the window counter', () => {
  it('counts per user within a window and says when it ends', async () => {
    let now = 1_000;
    const counter = memoryCounter(60_000, () => now);
    expect(await counter.hit('7')).toEqual({ count: 1, resetInMs: 60_000 });
    now += 15_000;
    expect(await counter.hit('7')).toEqual({ count: 2, resetInMs: 45_000 });
    expect(await counter.hit('8')).toEqual({ count: 1, resetInMs: 60_000 });
    now += 45_000; // the window is over: a fresh one
    expect(await counter.hit('7')).toEqual({ count: 1, resetInMs: 60_000 });
  });
});

describe('rate-limited users', () => {
  it('are told once, in their language, when they may ask again; what follows in the window is not answered', async () => {
    const bot = await start({ questions: 2, windowSeconds: 60 });
    for (let i = 0; i < 4; i++) bot.fake.sendText({ chatId: 61, text: QUESTION });
    for (let i = 0; i < 4; i++) bot.fake.sendText({ chatId: 62, text: ENGLISH });
    await waitForReplies(bot.fake, 61, 3);
    await waitForReplies(bot.fake, 62, 3);
    await bot.fake.waitFor(() => bot.inflight.size === 0);
    const chinese = replies(bot.fake, 61).map((message) => message.plainText);
    const english = replies(bot.fake, 62).map((message) => message.plainText);
    expect(chinese).toHaveLength(3);
    expect(chinese[0]).toContain(PLATFORM);
    expect(chinese[2]).toMatch(/^提问有点快了：请在 (59|60) 秒后再问，在此之前发来的问题不会回答。$/);
    expect(english).toHaveLength(3);
    expect(english[2]).toMatch(/^You're asking a bit fast: please ask again in (59|60) seconds; questions sent before then won't be answered\.$/);
  });

  describe('counted in Redis', () => {
    let redis: RedisServer;
    let sessions: SessionStore;
    const open = async () => {
      redis = await startRedisServer();
      sessions = createSessionStore({ storage: 'redis', redisUrl: redis.url, fileDir: '', historyTtlMinutes: 30, redisCommandTimeoutMs: 300 }, () => undefined);
      stops.push(() => redis.close(), () => sessions.close());
    };

    it('get one notice per window with the time left, and a fresh allowance after it', async () => {
      await open();
      const bot = await start({ questions: 1, windowSeconds: 2, redis: sessions.redis });
      const first = await askAll(bot, 63, [QUESTION, QUESTION, QUESTION]);
      expect(first).toHaveLength(2); // the answer, the notice; the third is not answered
      expect(first[0]).toContain(PLATFORM);
      expect(first[1]).toMatch(/^提问有点快了：请在 [12] 秒后再问/);
      // The counter expires with its window (never a user limited for good).
      const reader = new Redis(redis.url);
      const ttl = await reader.pttl(`forum-bot:questions:63`);
      reader.disconnect();
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2000);

      await new Promise((resolve) => setTimeout(resolve, ttl + 100));
      const second = await askAll(bot, 63, [QUESTION, QUESTION]);
      expect(second).toHaveLength(4);
      expect(second[2]).toContain(PLATFORM);
      expect(second[3]).toMatch(/^提问有点快了/);
    });

    it('are not limited while Redis is away', async () => {
      await open();
      const bot = await start({ questions: 1, windowSeconds: 60, redis: sessions.redis });
      await redis.kill();
      const told = await askAll(bot, 64, [QUESTION, QUESTION, QUESTION]);
      expect(told).toHaveLength(3);
      for (const text of told) expect(text).toContain(PLATFORM);
    });
  });
});
