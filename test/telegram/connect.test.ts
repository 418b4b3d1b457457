import { Bot } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/telegram/connect.js';
import type { BotContext } from '../../src/telegram/context.js';
import { retryPolicy } from '../../src/telegram/retry.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { TOKEN } from './helpers.js';

let fake: FakeTelegram;
beforeEach(async () => {
  fake = await startFakeTelegram({ username: 'test_bot' });
});
afterEach(() => fake.close());

/** A bot with the retry policy the real one uses, and its start-up connect. */
async function connectLogging(firstDelayMs: number): Promise<string[]> {
  const bot = new Bot<BotContext>(TOKEN, { client: { apiRoot: fake.apiRoot } });
  bot.api.config.use(retryPolicy({ attempts: 3, maxRetryAfterSeconds: 60, backoffMs: 50, maxBackoffMs: 100 }));
  const logs: string[] = [];
  await connect(bot, { log: (line) => void logs.push(line), signal: new AbortController().signal, firstDelayMs });
  return logs;
}

describe('connecting at start-up', () => {
  it('says so at the first failed getMe, not after silent retries, and connects when Telegram answers', async () => {
    fake.fail('getMe', { error_code: 502, description: 'Bad Gateway' }, 2);
    const logs = await connectLogging(20);
    expect(logs).toEqual([
      expect.stringMatching(/^Telegram is not reachable \(attempt 1: 502: Bad Gateway\)/),
      expect.stringMatching(/^Telegram is not reachable \(attempt 2: 502: Bad Gateway\)/),
      'Connected to Telegram after 3 attempts.',
    ]);
    expect(fake.callsOf('getMe')).toHaveLength(3); // one call per attempt logged
  });

  it('waits as long as a 429 on getMe asks, not its own shorter pause', async () => {
    fake.fail('getMe', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, 1);
    const started = Date.now();
    const logs = await connectLogging(20);
    expect(logs[0]).toMatch(/attempt 1: 429: Too Many Requests.*trying again in 1 s\./);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.callsOf('getMe')).toHaveLength(2);
  });
});
