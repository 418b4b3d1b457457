/**
 * SESSION_STORAGE=redis with Redis failing under the bot: the real redis-server killed (down) and
 * SIGSTOPped (hung), then back. Questions are answered quickly, without history and without
 * apology, the log says once that Redis went and once that it came back, and history works again.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extractiveComposer, type Composer } from '../../src/answering/composer.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { createSessionStore, type SessionStore } from '../../src/telegram/session.js';
import type { HistoryTurn } from '../../src/types.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { buildTestIndex, replies, startTestBot, waitForReplies, type TestBot } from './helpers.js';

const QUESTION = '黄宇红建议把哪个平台升级为国家级中试平台?';
const FOLLOW_UP = '她还建议了什么?';
const PLATFORM = '新一代移动信息网络技术产业中试平台';
const APOLOGY = /抱歉|Sorry/;
const COMMAND_TIMEOUT_MS = 300;

let index: ForumIndex;
let cleanup: () => Promise<void>;
let redis: RedisServer;
let sessions: SessionStore;
let bot: TestBot;
let logs: string[];
/** The history the composer was given, per question in order. */
let histories: HistoryTurn[][];

beforeAll(async () => {
  ({ index, cleanup } = await buildTestIndex());
}, 30_000);
afterAll(() => cleanup());

beforeEach(async () => {
  logs = [];
  histories = [];
  const log = (line: string) => void logs.push(line);
  redis = await startRedisServer();
  sessions = createSessionStore(
    { storage: 'redis', redisUrl: redis.url, fileDir: '', historyTtlMinutes: 30, redisCommandTimeoutMs: COMMAND_TIMEOUT_MS },
    log,
  );
  const composer: Composer = {
    mode: 'extractive',
    compose(input) {
      histories.push(input.history);
      return extractiveComposer.compose(input);
    },
  };
  bot = await startTestBot({
    index: () => index,
    composer,
    sessionStorage: sessions.storage,
    rateLimit: { questions: 20, windowSeconds: 60, redis: sessions.redis },
    log,
  });
});
afterEach(async () => {
  await bot.stop();
  await sessions.close();
  await redis.close();
});

/** Asks in chat 42 and waits for the reply; how long it took and what it said. */
async function ask(text: string): Promise<{ ms: number; text: string; history: HistoryTurn[] }> {
  const before = replies(bot.fake, 42).length;
  const asked = Date.now();
  bot.fake.sendText({ chatId: 42, text });
  await waitForReplies(bot.fake, 42, before + 1);
  const ms = Date.now() - asked;
  // The update is done (session written or skipped) before the next question.
  await bot.fake.waitFor(() => bot.inflight.size === 0);
  return { ms, text: replies(bot.fake, 42)[before]!.plainText, history: histories.at(-1)! };
}

const wentAway = () => logs.filter((line) => /Redis at 127\.0\.0\.1:\d+ is unreachable/.test(line));
const cameBack = () => logs.filter((line) => /Redis at 127\.0\.0\.1:\d+ is back after [\d.]+ s/.test(line));

describe('the bot with its sessions in Redis', () => {
  it('answers quickly without history while Redis is down, logs the outage once each way, and remembers again once it is back', async () => {
    await ask(QUESTION);
    expect((await ask(FOLLOW_UP)).history.map((turn) => turn.question)).toEqual([QUESTION]);

    await redis.kill();
    const whileDown = [await ask(QUESTION), await ask(FOLLOW_UP), await ask(QUESTION)];
    for (const answer of whileDown) {
      expect(answer.ms).toBeLessThan(1500);
      expect(answer.text).not.toMatch(APOLOGY);
      expect(answer.history).toEqual([]); // nothing remembered meanwhile
    }
    expect(whileDown[0]!.text).toContain(PLATFORM);
    expect(wentAway()).toHaveLength(1);
    expect(wentAway()[0]).toMatch(/without conversation history or rate limits/);
    expect(replies(bot.fake, 42)).toHaveLength(5); // one reply per question: no spurious apology after an answer

    await redis.restart();
    await bot.fake.waitFor(() => cameBack().length > 0, 5000);
    await ask(QUESTION);
    expect((await ask(FOLLOW_UP)).history.map((turn) => turn.question)).toEqual([QUESTION]);
    expect(wentAway()).toHaveLength(1);
    expect(cameBack()).toHaveLength(1);
    expect(logs.join('\n')).not.toMatch(/redis:\/\//); // never the URL (it may carry a password)
  }, 15_000);

  it('answers within the command timeout while Redis hangs (SIGSTOP), at once after the first, and finds the history from before once it answers again', async () => {
    await ask(QUESTION);

    redis.pause();
    const first = await ask(FOLLOW_UP);
    const next = [await ask(FOLLOW_UP), await ask(QUESTION)];
    expect(first.ms).toBeLessThan(COMMAND_TIMEOUT_MS + 1000);
    expect(first.history).toEqual([]);
    for (const answer of next) expect(answer.ms).toBeLessThan(COMMAND_TIMEOUT_MS); // no more waiting once Redis is known away
    for (const answer of [first, ...next]) expect(answer.text).not.toMatch(APOLOGY);
    expect(wentAway()).toHaveLength(1);
    expect(wentAway()[0]).toMatch(/no reply within 300 ms/);

    redis.resume();
    await bot.fake.waitFor(() => cameBack().length > 0, 5000);
    // The turn from before the hang is still there; the ones during it were not kept.
    expect((await ask(FOLLOW_UP)).history.map((turn) => turn.question)).toEqual([QUESTION]);
    expect(wentAway()).toHaveLength(1);
    expect(cameBack()).toHaveLength(1);
    expect(replies(bot.fake, 42)).toHaveLength(5);
  }, 15_000);
});
