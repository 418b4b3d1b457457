// The real bot process (`npm start`): SUMMARY_CHAT_IDS, `npm run ingest` noticed by the running
// bot, a SIGKILL part-way through delivery, and a restart that posts only what was not confirmed.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { TOKEN } from '../telegram/helpers.js';
import { makeCorpus, NEW_ARTICLE, postsTo, type Corpus } from './helpers.js';
import { childEnv } from '../support/child-env.js';

const GROUP = -1001000000001;
const CHANNEL = -1001000000002;

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

function startBot(): { output: () => string; kill: (signal: NodeJS.Signals) => void; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bot.ts'], {
    cwd: process.cwd(),
    env: childEnv({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_THROTTLE: 'false',
      INDEX_DIR: corpus.indexDir,
      SEEDS_DIR: corpus.seedsDir,
      EMBEDDER: 'lexical',
      SUMMARY_CHAT_IDS: `${GROUP},${CHANNEL}:en`,
      SUBSCRIPTIONS_FILE: path.join(corpus.dir, 'state', 'subscriptions.json'),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  return { output: () => output, kill: (signal) => child.kill(signal), exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

const until = (condition: () => boolean, timeoutMs = 30_000) => fake.waitFor(condition, timeoutMs);

describe('the bot process delivering digests', () => {
  it('ingest → one digest per chat; killed part-way, the restart posts only the rest', async () => {
    const first = startBot();
    await until(() => first.output().includes('is answering (polling)') && first.output().includes('subscribed chat(s)'));
    expect(first.output()).toContain(`chat ${GROUP} (SUMMARY_CHAT_IDS) subscribed`);
    expect(first.output()).toContain('Summaries: 2 subscribed chat(s), kept in');
    expect(fake.callsOf('sendMessage')).toHaveLength(0); // past articles are not pushed

    // The group's post is taken; the channel's hangs, and the process is killed meanwhile.
    fake.handle('sendMessage', (params) =>
      params.chat_id === CHANNEL
        ? new Promise(() => undefined)
        : { message_id: 901, date: Math.floor(Date.now() / 1000), chat: { id: params.chat_id, type: 'supergroup' }, text: String(params.text) },
    );
    await corpus.ingest(); // `npm run ingest`: a new manifest the running bot notices
    await until(() => postsTo(fake, CHANNEL).length === 1);
    first.kill('SIGKILL');
    await first.exited;
    expect(first.output()).toMatch(/Index reloaded: 3 articles/);
    expect(postsTo(fake, GROUP)).toHaveLength(1);
    expect(postsTo(fake, GROUP)[0]!.params.text).toContain('论坛摘要 · 2026年3月10日');

    const saved = JSON.parse(await readFile(path.join(corpus.dir, 'state', 'subscriptions.json'), 'utf8'));
    const hash = corpus.index.corpus.documents.get(NEW_ARTICLE.file)!.contentHash;
    expect(saved.chats[String(GROUP)].delivered[hash]).toMatchObject({ docId: NEW_ARTICLE.file, messageIds: [901] });
    expect(saved.chats[String(CHANNEL)].delivered[hash]).toBeUndefined();

    fake.handle('sendMessage', undefined);
    const second = startBot();
    await until(() => fake.sentMessages(CHANNEL).length === 1 && second.output().includes('digest(s) posted'));
    expect(second.output()).toContain('Summaries: 1 digest(s) posted to 1 chat(s) after start.');
    expect(fake.sentMessages(CHANNEL)[0]!.plainText).toMatch(/^Forum digest · 2026-03-10/);
    expect(postsTo(fake, GROUP)).toHaveLength(1);
    second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(postsTo(fake, GROUP)).toHaveLength(1);
    expect(postsTo(fake, CHANNEL)).toHaveLength(2); // the attempt lost with the first process, then the post
    expect(second.output()).not.toContain(TOKEN.split(':')[1]);
  }, 120_000);
});
