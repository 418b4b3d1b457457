// Digest delivery when Telegram's reply to a part is lost: while the bot runs (not re-sent), and
// at a crash (the part recorded as in flight is re-sent once, logged — the documented window).
import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { baselineOf, type SubscriptionStore } from '../../src/summaries/subscriptions.js';
import { retryPolicy } from '../../src/telegram/retry.js';
import { requestTimeouts } from '../../src/telegram/timeout.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { longPassageSummarizer, makeCorpus, NEW_ARTICLE, openStore, postsTo, testDelivery, type Corpus } from '../summaries/helpers.js';
import { TOKEN } from './helpers.js';

const GROUP = -100333;

let corpus: Corpus;
let fake: FakeTelegram;
const abandoned: { stop(): Promise<void> }[] = [];
beforeEach(async () => {
  corpus = await makeCorpus();
  fake = await startFakeTelegram({ username: 'test_bot' });
});
afterEach(async () => {
  await fake.close();
  // A delivery left hanging by a simulated crash ends (its request is cut) before its files go.
  for (const delivery of abandoned.splice(0)) await delivery.stop();
  await corpus.cleanup();
});

/** The bot's API stack (request timeout, retry policy) pointed at the fake. */
function botApi(): Api {
  const api = new Api(TOKEN, { apiRoot: fake.apiRoot });
  api.config.use(requestTimeouts({ requestSeconds: 5 }));
  api.config.use(retryPolicy({ attempts: 3, maxRetryAfterSeconds: 60, backoffMs: 50, maxBackoffMs: 200 }));
  return api;
}

async function subscribedWithNewArticle(): Promise<{ store: SubscriptionStore; index: ForumIndex }> {
  const store = await openStore(corpus.dir);
  await store.subscribe({ chatId: GROUP, source: 'command', language: 'zh', since: '2026-01-01T00:00:00.000Z' }, baselineOf(corpus.index.corpus.documents.values()));
  return { store, index: await corpus.ingest() };
}

/** Long passages: the digest takes three or more messages. */
const long = longPassageSummarizer;

describe('digest parts whose reply is lost', () => {
  it('while the bot runs: counted as posted, never sent a second time, logged with how to post it by hand', async () => {
    const { store, index } = await subscribedWithNewArticle();
    const logs: string[] = [];
    fake.loseResponse('sendMessage'); // Telegram posts it; the connection breaks before its reply
    const report = await testDelivery(fake, store, () => index, { api: botApi(), logs }).trigger('ingest');
    expect(fake.sentMessages(GROUP)).toHaveLength(1);
    expect(postsTo(fake, GROUP)).toHaveLength(1); // before: 2 (auto-retry sent it again)
    expect(report.posted).toEqual([{ chatId: GROUP, docId: NEW_ARTICLE.file, messageIds: [0] }]);
    expect(logs.filter((line) => line.includes(`Counted as posted; if it is missing there, post the digest by hand: npm run summary -- --doc ${NEW_ARTICLE.file} --post ${GROUP}`))).toHaveLength(1);
    // A restart finds it delivered.
    expect((await testDelivery(fake, await openStore(corpus.dir), () => index, { api: botApi() }).trigger('restart')).posted).toEqual([]);
    expect(postsTo(fake, GROUP)).toHaveLength(1);
  });

  it('at a crash: the one part in flight is sent again at the next start, with a line saying it may appear twice; nothing else twice', async () => {
    const { store, index } = await subscribedWithNewArticle();
    fake.loseResponse('sendMessage', 1, { hang: true }); // part 1 posted, its reply never comes…
    const crashed = testDelivery(fake, store, () => index, { api: botApi(), summarizer: long });
    abandoned.push(crashed);
    void crashed.trigger('ingest');
    await fake.waitFor(() => fake.sentMessages(GROUP).length === 1);
    // …and the process dies there (this delivery is abandoned; a new one reads the file it left).
    const saved = [...(await (await openStore(corpus.dir)).pending(GROUP)).values()];
    expect(saved).toEqual([expect.objectContaining({ sent: 0, sending: { part: 0, at: expect.any(String) } })]);
    const parts = saved[0]!.parts;
    expect(parts.length).toBeGreaterThanOrEqual(3);

    const logs: string[] = [];
    const report = await testDelivery(fake, await openStore(corpus.dir), () => index, { api: botApi(), logs }).trigger('restart');
    expect(report.posted).toHaveLength(1);
    expect(logs.filter((line) => line.includes(`part 1/${parts.length} of the digest of ${NEW_ARTICLE.file} to chat ${GROUP} was being sent when delivery was cut off`))).toHaveLength(1);
    expect(logs.find((line) => line.includes('was being sent'))).toContain('it may appear twice');
    const posted = fake.sentMessages(GROUP).map((message) => message.text);
    expect(posted).toEqual([parts[0], ...parts]); // the part in flight twice (the documented window), the rest once
  });

  it('the duplicate window per part — Telegram took it → its reply recorded — is one store write after the reply', async () => {
    const { store, index } = await subscribedWithNewArticle();
    const recordedAt: number[] = [];
    // The records written once a part is confirmed: pending progress (no part in flight) or the delivery.
    const timed: SubscriptionStore = Object.assign(Object.create(store) as SubscriptionStore, {
      savePending: async (...args: Parameters<SubscriptionStore['savePending']>) => {
        await store.savePending(...args);
        if (!args[2].sending) recordedAt.push(Date.now());
      },
      markDelivered: async (...args: Parameters<SubscriptionStore['markDelivered']>) => {
        await store.markDelivered(...args);
        recordedAt.push(Date.now());
      },
    });
    await testDelivery(fake, timed, () => index, { api: botApi(), summarizer: long }).trigger('ingest');
    const received = postsTo(fake, GROUP).map((call) => call.at);
    expect(recordedAt).toHaveLength(received.length);
    const windows = received.map((at, i) => recordedAt[i]! - at);
    console.log(`digest duplicate window per part (ms, fake on loopback; over the internet add the reply's transit): ${windows.join(', ')}`);
    for (const window of windows) expect(window).toBeLessThan(250);
  });
});
