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
