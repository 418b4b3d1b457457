import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { buildTestIndex, TOKEN } from './helpers.js';

let directory: string;
let cleanup: () => Promise<void>;
let fake: FakeTelegram;

beforeAll(async () => {
  // `npm start` compiles the bot to dist/ (npm run build) and runs it under plain node: so does this test.
  execFileSync(process.execPath, [path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
  ({ directory, cleanup } = await buildTestIndex());
  fake = await startFakeTelegram({ username: 'test_bot' });
}, 60_000);
afterAll(async () => {
  await fake.close();
  await cleanup();
});

interface Child {
  exited: Promise<{ code: number | null; at: number }>;
  output: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

/** `npm start` as a child process (node dist/scripts/bot.js, the compiled bot) with its own environment. */
function startBotProcess(environment: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/scripts/bot.js'], {
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOTENV_CONFIG_QUIET: 'true', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  return {
    exited: new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() }))),
    output: () => output,
    kill: (signal) => child.kill(signal),
  };
}

const QUESTION = '黄宇红建议把哪个平台升级为国家级中试平台?';
const PLATFORM = '新一代移动信息网络技术产业中试平台';

/** The bot against a given fake, with a 1 s long poll so faults show within seconds. */
function botEnvironment(telegram: FakeTelegram): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    INDEX_DIR: directory,
    EMBEDDER: 'lexical',
    SEEDS_DIR: 'seeds',
    TELEGRAM_THROTTLE: 'false',
    TELEGRAM_POLL_TIMEOUT_SECONDS: '1',
  };
}

describe('npm start (the compiled scripts/bot.ts)', () => {
  it('answers, then on SIGTERM finishes and exits 0 within a few seconds, never printing the token', async () => {
    const bot = startBotProcess({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      INDEX_DIR: directory,
      EMBEDDER: 'lexical',
      SEEDS_DIR: 'seeds',
    });
    await fake.waitFor((calls) => calls.some((call) => call.method === 'getUpdates'), 15_000);
    fake.sendText({ chatId: 41, text: '黄宇红建议把哪个平台升级为国家级中试平台?' });
    await fake.waitFor((calls) => calls.some((call) => call.method === 'sendMessage' && call.params.chat_id === 41), 10_000);
    expect(fake.sentMessages(41)[0]!.plainText).toContain('新一代移动信息网络技术产业中试平台');
    expect(fake.callsOf('setMyCommands').map((call) => call.params.language_code ?? 'default').sort()).toEqual(['default', 'zh']);
    expect(fake.botText('description')).toMatch(/^我根据新闻报道回答/); // Chinese by default
    expect(fake.botText('short_description', 'en')).toMatch(/^Q&A on the Beijing CPPCC/);

    // A reply still under way when SIGTERM arrives: Telegram takes 400 ms to accept it.
    let accepted = 0;
    fake.handle('sendMessage', async (params) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      accepted = Date.now();
      return { message_id: 1000, date: Math.floor(Date.now() / 1000), chat: { id: params.chat_id, type: 'private' }, text: String(params.text) };
    });
    fake.sendText({ chatId: 42, text: '2026年座谈会的主题是什么?' });
    await fake.waitFor((calls) => calls.some((call) => call.method === 'sendMessage' && call.params.chat_id === 42), 10_000);
    const stoppedAt = Date.now();
    bot.kill('SIGTERM');
    const { code, at } = await bot.exited;
    fake.handle('sendMessage', undefined);
    expect(code).toBe(0);
    expect(accepted).toBeGreaterThan(0); // the reply was delivered…
    expect(at).toBeGreaterThanOrEqual(accepted); // …before the process exited
    expect(at - stoppedAt).toBeLessThan(5000);
    expect(bot.output()).toMatch(/finishing 1 reply/);
    expect(bot.output()).toMatch(/Index warmed up in [0-9.]+ s/); // before answering, not on the first question
    expect(bot.output()).toMatch(/is answering \(polling\)/);
    expect(bot.output()).toMatch(/SIGTERM/);
    expect(bot.output()).not.toContain(TOKEN.split(':')[1]);
  }, 30_000);

  it('SIGTERM with three questions queued in one chat: the first is answered, the next start answers the other two, none twice', async () => {
    const telegram = await startFakeTelegram({ username: 'test_bot' });
    const environment = { ...botEnvironment(telegram), SHUTDOWN_TIMEOUT_MS: '200' };
    try {
      const first = startBotProcess(environment);
      await telegram.waitFor(() => first.output().includes('is answering (polling)'), 15_000);
      telegram.delay('sendMessage', 1000); // Telegram is slow to take the first answer
      const asked = [1, 2, 3].map(() => telegram.sendText({ chatId: 51, text: QUESTION }).message.message_id as number);
      await telegram.waitFor((calls) => calls.some((call) => call.method === 'sendMessage'), 10_000);
      first.kill('SIGTERM');
      expect((await first.exited).code).toBe(0);
      expect(first.output()).toMatch(/2 update\(s\) not answered stay unconfirmed at Telegram: the next start answers them/);
      expect(telegram.sentMessages(51)).toHaveLength(1); // before: 1, and the other two were lost

      const second = startBotProcess(environment);
      await telegram.waitFor(() => telegram.sentMessages(51).length >= 3, 15_000);
      second.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
      const answered = telegram.sentMessages(51).map((message) => message.params.reply_parameters?.message_id);
      expect(answered).toEqual(asked); // each question once, in order
      for (const message of telegram.sentMessages(51)) expect(message.plainText).toContain(PLATFORM);
    } finally {
      await telegram.close();
    }
  }, 45_000);

  it('Telegram unreachable at start: a line per attempt with a growing wait, then it connects and answers', async () => {
    const telegram = await startFakeTelegram({ username: 'test_bot' });
    await telegram.goDown();
    try {
      const bot = startBotProcess(botEnvironment(telegram));
      const attempts = () => bot.output().match(/^Telegram is not reachable \(attempt \d+: .*ECONNREFUSED.*\); trying again in [0-9.]+ s\./gm) ?? [];
      // The compiled bot first loads and warms up its index (seconds on a loaded machine), then tries at 1 s and 2 s.
      await telegram.waitFor(() => attempts().length >= 2, 30_000); // before: only "Index warmed up", forever
      expect(attempts()[0]).toMatch(/attempt 1: .*in 1 s\./);
      expect(attempts()[1]).toMatch(/attempt 2: .*in 2 s\./);
      await telegram.comeBack();
      await telegram.waitFor(() => bot.output().includes('is answering (polling)'), 10_000);
      expect(bot.output()).toMatch(/Connected to Telegram after 3 attempts/);
      telegram.sendText({ chatId: 52, text: QUESTION });
      await telegram.waitFor(() => telegram.sentMessages(52).length === 1, 10_000);
      bot.kill('SIGTERM');
      expect((await bot.exited).code).toBe(0);
    } finally {
      await telegram.close();
    }
  }, 75_000);

  it('SIGTERM while it is still trying to reach Telegram: exits 0 at once', async () => {
    const telegram = await startFakeTelegram({ username: 'test_bot' });
    await telegram.goDown();
    try {
      const bot = startBotProcess(botEnvironment(telegram));
      await telegram.waitFor(() => bot.output().includes('Telegram is not reachable (attempt 1'), 15_000);
      const stoppedAt = Date.now();
      bot.kill('SIGTERM'); // before: ignored, the process kept waiting
      const { code, at } = await bot.exited;
      expect(code).toBe(0);
      expect(at - stoppedAt).toBeLessThan(1000);
      expect(bot.output()).toContain('SIGTERM during start-up: stopped before taking any update.');
    } finally {
      await telegram.close();
    }
  }, 30_000);

  it('a token Telegram rejects (401): one line naming TELEGRAM_BOT_TOKEN, exit 1, no stack trace', async () => {
    const telegram = await startFakeTelegram({ username: 'test_bot' });
    telegram.fail('getMe', { error_code: 401, description: 'Unauthorized' }, 10);
    try {
      const bot = startBotProcess(botEnvironment(telegram));
      const { code } = await bot.exited;
      expect(code).toBe(1);
      const lines = bot.output().trim().split('\n');
      expect(lines.at(-1)).toMatch(/^Error: Telegram rejected TELEGRAM_BOT_TOKEN \(401 Unauthorized\): the token is wrong or was revoked/); // before: "Call to 'getMe' failed! (401: Unauthorized)"
      expect(bot.output()).not.toMatch(/\n\s+at /);
      expect(telegram.callsOf('getMe')).toHaveLength(1); // not retried
    } finally {
      await telegram.close();
    }
  }, 30_000);

  it('without TELEGRAM_BOT_TOKEN: one clear line, a non-zero exit, no stack trace', async () => {
    const bot = startBotProcess({ TELEGRAM_BOT_TOKEN: '', INDEX_DIR: directory });
    const { code } = await bot.exited;
    expect(code).not.toBe(0);
    const lines = bot.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Error: TELEGRAM_BOT_TOKEN is not set/);
    expect(bot.output()).not.toMatch(/\n\s+at /);
  }, 30_000);
});
