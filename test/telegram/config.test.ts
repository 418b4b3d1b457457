import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { loadBotConfig } from '../../src/telegram/config.js';
import { redactToken } from '../../src/telegram/redact.js';
import { createSessionStore, recentHistory, rememberTurn } from '../../src/telegram/session.js';

describe('loadBotConfig', () => {
  it('needs TELEGRAM_BOT_TOKEN and says so by name', () => {
    expect(() => loadBotConfig({})).toThrow(ConfigError);
    expect(() => loadBotConfig({ TELEGRAM_BOT_TOKEN: '  ' })).toThrow(/^TELEGRAM_BOT_TOKEN is not set/);
  });

  it('has working defaults and reads every setting', () => {
    const defaults = loadBotConfig({ TELEGRAM_BOT_TOKEN: '1:x' });
    expect(defaults).toMatchObject({ apiRoot: undefined, webhook: undefined, throttle: true, streamEditIntervalMs: 1500, shutdownTimeoutMs: 5000 });
    expect(defaults.session).toEqual({ storage: 'memory', fileDir: '.cache/sessions', redisUrl: undefined, redisCommandTimeoutMs: 1000, historyTurns: 4, historyTtlMinutes: 30 });
    expect(defaults.rateLimit).toEqual({ questions: 8, windowSeconds: 60 });

    const custom = loadBotConfig({
      TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/', ADMIN_USER_IDS: '1, 22 333',
      WEBHOOK_URL: 'https://bot.example.org/tg/hook', WEBHOOK_PORT: '9000', SESSION_STORAGE: 'redis', REDIS_URL: 'redis://r:6379',
      RATE_LIMIT_QUESTIONS: '3', RATE_LIMIT_WINDOW_SECONDS: '10', TELEGRAM_THROTTLE: 'false', REDIS_COMMAND_TIMEOUT_MS: '250',
    });
    expect(custom.apiRoot).toBe('http://127.0.0.1:8081');
    expect([...custom.adminUserIds]).toEqual([1, 22, 333]);
    expect(custom.webhook).toMatchObject({ url: 'https://bot.example.org/tg/hook', path: '/tg/hook', port: 9000, host: '0.0.0.0' });
    expect(custom.webhook!.secret).toMatch(/^[a-f0-9]{64}$/); // derived, stable, never the token itself
    expect(custom.session).toMatchObject({ storage: 'redis', redisUrl: 'redis://r:6379', redisCommandTimeoutMs: 250 });
    expect(custom.summaries.redisCommandTimeoutMs).toBe(250);
    expect(custom.rateLimit).toEqual({ questions: 3, windowSeconds: 10 });
    expect(custom.throttle).toBe(false);
  });

  it('rejects bad values with the variable name', () => {
    expect(() => loadBotConfig({ TELEGRAM_BOT_TOKEN: '1:x', SESSION_STORAGE: 'redis' })).toThrow(/REDIS_URL/);
    expect(() => loadBotConfig({ TELEGRAM_BOT_TOKEN: '1:x', ADMIN_USER_IDS: 'alice' })).toThrow(/ADMIN_USER_IDS/);
    expect(() => loadBotConfig({ TELEGRAM_BOT_TOKEN: '1:x', WEBHOOK_URL: 'https://x.org', WEBHOOK_SECRET: 'bad secret!' })).toThrow(/WEBHOOK_SECRET/);
    expect(() => loadBotConfig({ TELEGRAM_BOT_TOKEN: '1:x', RATE_LIMIT_QUESTIONS: '-1' })).toThrow(/RATE_LIMIT_QUESTIONS/);
    expect(() => loadBotConfig({ TELEGRAM_BOT_TOKEN: '1:x', REDIS_COMMAND_TIMEOUT_MS: '5' })).toThrow(/REDIS_COMMAND_TIMEOUT_MS must be a whole number from 50/);
  });
});

describe('token redaction', () => {
  it('hides the token and anything shaped like one', () => {
    const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
    expect(redactToken(`request to https://api.telegram.org/bot${token}/getUpdates failed`, token)).toBe('request to https://api.telegram.org/bot[bot token]/getUpdates failed');
    expect(redactToken('bot987654321:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/x', undefined)).toBe('bot[bot token]/x');
  });
});

describe('history', () => {
  const settings = { turns: 2, ttlMinutes: 30 };
  it('keeps the last turns, shortens long answers and forgets old ones', () => {
    let session = rememberTurn(undefined, { question: 'q1', answer: 'a'.repeat(2000) }, settings, 0);
    session = rememberTurn(session, { question: 'q2', answer: 'a2' }, settings, 1000);
    session = rememberTurn(session, { question: 'q3', answer: 'a3' }, settings, 2000);
    expect(recentHistory(session, settings, 3000).map((turn) => turn.question)).toEqual(['q2', 'q3']);
    expect(rememberTurn(undefined, { question: 'q', answer: 'a'.repeat(2000) }, settings, 0).turns[0]!.answer.length).toBeLessThan(700);
    expect(recentHistory(session, settings, 2000 + 31 * 60_000)).toEqual([]);
  });

  it('file storage keeps sessions across bot instances', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'forum-bot-sessions-'));
    try {
      const settings = { storage: 'file' as const, fileDir: directory, historyTurns: 4, historyTtlMinutes: 30 };
      const first = createSessionStore(settings, () => undefined);
      await first.storage.write('42', { turns: [{ question: 'q', answer: 'a', at: 1 }] });
      const second = createSessionStore(settings, () => undefined);
      expect(await second.storage.read('42')).toEqual({ turns: [{ question: 'q', answer: 'a', at: 1 }] });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
