/**
 * The bot process (scripts/bot.ts) started while its Redis hangs: it says subscriptions are
 * unknown rather than "0 subscribed chat(s)", answers questions meanwhile, and posts the digest
 * that was due as soon as Redis answers again — nothing lost.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { baselineOf, openSubscriptionStore } from '../../src/summaries/subscriptions.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { buildTestIndex, TOKEN } from './helpers.js';
import { childEnv } from '../support/child-env.js';

const SUBSCRIBER = 77;
const CONFIGURED = -100991;

let directory: string;
let index: ForumIndex;
let cleanup: () => Promise<void>;
let fake: FakeTelegram;
let redis: RedisServer;

beforeAll(async () => {
  ({ directory, index, cleanup } = await buildTestIndex());
  fake = await startFakeTelegram({ username: 'test_bot' });
  redis = await startRedisServer();
}, 30_000);
afterAll(async () => {
  await redis.close();
  await fake.close();
  await cleanup();
});

describe('the bot started while Redis hangs', () => {
  it('says subscriptions are unknown, answers meanwhile, and delivers the due digest once Redis is back', async () => {
    // A subscriber that has had every article but the newest one.
    const documents = [...index.corpus.documents.values()].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
    const store = await openSubscriptionStore({ file: '/nonexistent/unused.json', redisUrl: redis.url }, () => undefined);
    await store.subscribe({ chatId: SUBSCRIBER, source: 'private', language: 'zh', since: new Date().toISOString() }, baselineOf(documents.slice(0, -1)));
    await store.close();
    redis.pause();

    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bot.ts'], {
      env: childEnv({
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: fake.apiRoot,
        INDEX_DIR: directory,
        EMBEDDER: 'lexical',
        SEEDS_DIR: 'seeds',
        SESSION_STORAGE: 'redis',
        REDIS_URL: redis.url,
        REDIS_COMMAND_TIMEOUT_MS: '300',
        SUMMARY_CHAT_IDS: String(CONFIGURED),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await fake.waitFor(() => /Summaries: /.test(output), 15_000);
      expect(output).toMatch(/Summaries: subscriptions unknown \(Redis at 127\.0\.0\.1:\d+ is unavailable\); digests \(extractive\) are posted once it is back\./);
      expect(output).not.toMatch(/0 subscribed chat/);

      fake.sendText({ chatId: 41, text: '黄宇红建议把哪个平台升级为国家级中试平台?' });
      await fake.waitFor(() => fake.sentMessages(41).length > 0, 5000);
      expect(fake.sentMessages(41)[0]!.plainText).toContain('新一代移动信息网络技术产业中试平台');
      expect(fake.sentMessages(SUBSCRIBER)).toHaveLength(0);

      redis.resume();
      await fake.waitFor(() => fake.sentMessages(SUBSCRIBER).length > 0, 5000);
      expect(fake.sentMessages(SUBSCRIBER)[0]!.plainText).toContain(documents.at(-1)!.title.slice(0, 8));
      expect(output.match(/is unreachable/g)).toHaveLength(1);
      expect(output.match(/is back after/g)).toHaveLength(1);
      // The chat configured by SUMMARY_CHAT_IDS, not recordable at start, is recorded once Redis is back.
      await fake.waitFor(() => output.includes(`chat ${CONFIGURED} (SUMMARY_CHAT_IDS) subscribed`), 5000);
      const after = await openSubscriptionStore({ file: '/nonexistent/unused.json', redisUrl: redis.url }, () => undefined);
      expect((await after.get(CONFIGURED))?.active).toBe(true);
      await after.close();
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 30_000);
});
