// `npm run summary -- … --post CHAT_ID` as a child process against the fake Bot API.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { TOKEN } from '../telegram/helpers.js';
import { makeCorpus, type Corpus } from './helpers.js';
import { childEnv } from '../support/child-env.js';

let corpus: Corpus;
let fake: FakeTelegram;
beforeAll(async () => {
  corpus = await makeCorpus();
  fake = await startFakeTelegram({ username: 'test_bot' });
});
afterAll(async () => {
  await fake.close();
  await corpus.cleanup();
});

function summaryScript(args: string[], environment: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/summary.ts', '--index', corpus.indexDir, ...args], {
    cwd: process.cwd(),
    env: childEnv({
      EMBEDDER: 'lexical',
      SEEDS_DIR: corpus.seedsDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      ...environment,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('scripts/summary.ts --post', () => {
  it('posts one digest (of --doc) to the chat through the Bot API, as valid HTML', async () => {
    const result = await summaryScript(['--doc', '003_e28bedb5bee0dbd7', '--post', '-100123']);
    expect(result.code).toBe(0);
    const posts = fake.sentMessages(-100123);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.params.parse_mode).toBe('HTML');
    expect(posts[0]!.plainText).toMatch(/^论坛摘要 · 2025年1月15日/);
    for (const name of ['马光辉', '褚潇炜', '俞会根', '顾行发', '赵宇']) expect(posts[0]!.plainText).toContain(name);
    expect(result.stderr).toContain(`Posted to -100123: 1 message(s) (ids ${posts[0]!.message_id})`);
    expect(result.stdout).toBe('');
  }, 30_000);

  it('--all --post --json posts the overview and reports what it posted', async () => {
    const result = await summaryScript(['--all', '--post', '-100124', '--json', '--lang', 'en']);
    expect(result.code).toBe(0);
    const posts = fake.sentMessages(-100124);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.plainText).toMatch(/^Forum sessions indexed \(2\)/);
    const json = JSON.parse(result.stdout);
    expect(json.sessions).toHaveLength(2);
    expect(json.posted).toEqual({ chatId: -100124, messageIds: [posts[0]!.message_id] });
  }, 30_000);

  it('a chat the bot cannot post to: one clear line, exit 1, no token', async () => {
    fake.fail('sendMessage', { error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' });
    const result = await summaryScript(['--post', '-100125']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Error: Cannot post to -100125: Telegram said 403: Forbidden: bot was kicked from the supergroup chat. The bot was blocked or removed there, or the chat was deleted.',
    );
    expect(result.stderr + result.stdout).not.toContain(TOKEN.split(':')[1]);

    const bad = await summaryScript(['--post', 'somewhere']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--post needs a chat id/);
  }, 30_000);
});
