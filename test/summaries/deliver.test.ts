import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ForumIndex } from '../../src/index/forum-index.js';
import type { IndexHolder } from '../../src/index/holder.js';
import { syncConfiguredChats, type SummaryDelivery } from '../../src/telegram/digests/deliver.js';
import { baselineOf, type SubscriptionStore } from '../../src/summaries/subscriptions.js';
import { parseTelegramHtml, startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { longPassageSummarizer, makeCorpus, NEW_ARTICLE, openStore, postsTo, testDelivery, watchIndex, type Corpus } from './helpers.js';

const GROUP = -100111;
const CHANNEL = -100222;
const PRIVATE = 4242;

let corpus: Corpus;
let fake: FakeTelegram;
const closers: (() => unknown)[] = [];

beforeEach(async () => {
  corpus = await makeCorpus();
  fake = await startFakeTelegram({ username: 'test_bot' });
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await fake.close();
  await corpus.cleanup();
});

/** Subscribes chats in this order (delivery goes in subscription order), each with the current articles as baseline. */
async function subscribe(store: SubscriptionStore, index: ForumIndex, chats: number[]): Promise<void> {
  for (const [i, chatId] of chats.entries()) {
    await store.subscribe(
      { chatId, source: chatId > 0 ? 'private' : 'command', language: 'zh', since: `2026-01-01T00:00:0${i}.000Z` },
      baselineOf(index.corpus.documents.values()),
    );
  }
}

/** A fabricated sendMessage result: Telegram accepted the message. */
function accepted(params: any, id = Math.floor(Math.random() * 1e6)) {
  return { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: params.chat_id, type: 'supergroup' }, text: String(params.text) };
}

describe('delivery of new articles to subscribed chats', () => {
  it('after an ingest the hot-reloaded index brings each subscriber exactly one digest; a re-run sends nothing', async () => {
    const store = await openStore(corpus.dir);
    await subscribe(store, corpus.index, [GROUP, CHANNEL, PRIVATE]);
    let delivery: SummaryDelivery | undefined;
    const holder: IndexHolder = await watchIndex(corpus.indexDir, () => void delivery?.trigger('an index reload'));
    closers.push(() => holder.close());
    delivery = testDelivery(fake, store, () => holder.current);
    closers.push(() => delivery!.stop());

    // Nothing new since subscribing: the past articles are not pushed.
    expect((await delivery.trigger('start')).posted).toEqual([]);
    expect(fake.callsOf('sendMessage')).toHaveLength(0);

    await corpus.ingest();
    await fake.waitFor(() => [GROUP, CHANNEL, PRIVATE].every((chatId) => fake.sentMessages(chatId).length >= 1), 10_000);
    await delivery.trigger('settled'); // waits for the run under way (and runs once more)
    for (const chatId of [GROUP, CHANNEL, PRIVATE]) {
      const [post, ...more] = fake.sentMessages(chatId);
      expect(more).toEqual([]);
      expect(post!.params.parse_mode).toBe('HTML');
      expect(post!.plainText).toContain('论坛摘要 · 2026年3月10日');
      for (const name of NEW_ARTICLE.members) expect(post!.plainText).toContain(name);
      expect(post!.plainText).toContain('北京城市更新研究院院长');
      expect(post!.text).toContain('<blockquote expandable>');
    }

    // Run again, and again with a fresh store over the same file (a restart): nothing.
    expect((await delivery.trigger('re-run')).posted).toEqual([]);
    const restarted = testDelivery(fake, await openStore(corpus.dir), () => holder.current);
    expect((await restarted.trigger('restart')).posted).toEqual([]);
    expect(fake.callsOf('sendMessage')).toHaveLength(3);
    const delivered = await (await openStore(corpus.dir)).delivered(GROUP);
    const hash = holder.current.corpus.documents.get(NEW_ARTICLE.file)!.contentHash;
    expect(delivered.get(hash)).toMatchObject({ docId: NEW_ARTICLE.file, messageIds: [fake.sentMessages(GROUP)[0]!.message_id] });
  });

  it('a crash after the first chat was served: the restart posts only to the rest', async () => {
    const logs: string[] = [];
    const store = await openStore(corpus.dir);
    await subscribe(store, corpus.index, [GROUP, CHANNEL]);
    const index = await corpus.ingest();
    // Telegram takes the group's post; the channel's never returns (the process dies while waiting).
    fake.handle('sendMessage', (params) => (params.chat_id === CHANNEL ? new Promise(() => undefined) : accepted(params)));
    const doomed = testDelivery(fake, store, () => index, { logs });
    void doomed.trigger('start');
    await fake.waitFor(() => postsTo(fake, CHANNEL).length === 1);
    // "Crash": this delivery and its store are abandoned; only what reached the file survives.

    fake.handle('sendMessage', undefined);
    const restarted = testDelivery(fake, await openStore(corpus.dir), () => index, { logs });
    const report = await restarted.trigger('start');
    expect(report.posted.map((post) => post.chatId)).toEqual([CHANNEL]);
    expect(postsTo(fake, GROUP)).toHaveLength(1);
    expect(postsTo(fake, CHANNEL)).toHaveLength(2); // the lost attempt, then the post
    expect(fake.sentMessages(CHANNEL)).toHaveLength(1);
    expect((await restarted.trigger('again')).posted).toEqual([]);
  });

  it('a digest split over several messages resumes after the last confirmed part', async () => {
    const store = await openStore(corpus.dir);
    await subscribe(store, corpus.index, [GROUP]);
    const index = await corpus.ingest();
    // Long passages: the digest needs three messages.
    const long = longPassageSummarizer;
    let calls = 0;
    fake.handle('sendMessage', (params) => (++calls === 2 ? new Promise(() => undefined) : accepted(params, 500 + calls)));
    void testDelivery(fake, store, () => index, { summarizer: long }).trigger('start');
    await fake.waitFor(() => postsTo(fake, GROUP).length === 2);
    const partsSent = postsTo(fake, GROUP).map((call) => call.params.text as string);
    const pending = [...(await (await openStore(corpus.dir)).pending(GROUP)).values()];
    expect(pending).toHaveLength(1);
    expect(pending[0]!.sent).toBe(1);
    expect(pending[0]!.parts.length).toBeGreaterThanOrEqual(3);

    fake.handle('sendMessage', undefined);
    // After the restart the digest would render differently (not long): the stored parts are used.
    const report = await testDelivery(fake, await openStore(corpus.dir), () => index).trigger('start');
    const resumed = postsTo(fake, GROUP).slice(2).map((call) => call.params.text as string);
    expect(resumed).toEqual(pending[0]!.parts.slice(1));
    expect(resumed[0]).toBe(partsSent[1]); // the unconfirmed part again, never the first
    expect(report.posted[0]!.messageIds[0]).toBe(501);
    for (const part of pending[0]!.parts) {
      const parsed = parseTelegramHtml(part);
      expect(parsed.text.length).toBeLessThanOrEqual(4096);
    }
    expect((await (await openStore(corpus.dir)).pending(GROUP)).size).toBe(0);
  });

  it('a chat that blocked the bot (403) is unsubscribed with a log line; the others still get theirs', async () => {
    const logs: string[] = [];
    const store = await openStore(corpus.dir);
    await subscribe(store, corpus.index, [PRIVATE, GROUP]);
    const index = await corpus.ingest();
    fake.fail('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const report = await testDelivery(fake, store, () => index, { logs }).trigger('ingest');
    expect(report.dropped).toEqual([PRIVATE]);
    expect(report.posted.map((post) => post.chatId)).toEqual([GROUP]);
    expect(logs.some((line) => line.includes(`chat ${PRIVATE} blocked the bot`) && line.includes('unsubscribed'))).toBe(true);
    const saved = (await (await openStore(corpus.dir)).get(PRIVATE))!;
    expect(saved.active).toBe(false);
    expect(saved.ended).toMatchObject({ reason: 'blocked', detail: '403: Forbidden: bot was blocked by the user' });
    // Never tried again.
    await testDelivery(fake, await openStore(corpus.dir), () => index).trigger('restart');
    expect(postsTo(fake, PRIVATE)).toHaveLength(1);
  });

  it('429: waits retry_after, then delivers', async () => {
    const logs: string[] = [];
    const store = await openStore(corpus.dir);
    await subscribe(store, corpus.index, [GROUP]);
    const index = await corpus.ingest();
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const report = await testDelivery(fake, store, () => index, { logs }).trigger('ingest');
    expect(report.posted.map((post) => post.chatId)).toEqual([GROUP]);
    const [limited, delivered] = postsTo(fake, GROUP);
    expect(delivered!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expect(fake.sentMessages(GROUP)).toHaveLength(1);
    expect(logs.some((line) => /wait 1 s .*\(429\); waiting/.test(line))).toBe(true);
  });

  it('a channel where the bot cannot post: a clear log line, kept subscribed, delivered once the bot may post', async () => {
    const logs: string[] = [];
    const store = await openStore(corpus.dir);
    await subscribe(store, corpus.index, [CHANNEL, GROUP]);
    const index = await corpus.ingest();
    fake.fail('sendMessage', { error_code: 400, description: 'Bad Request: need administrator rights in the channel chat' });
    const delivery = testDelivery(fake, store, () => index, { logs });
    const report = await delivery.trigger('ingest');
    expect(report.unreachable).toEqual([CHANNEL]);
    expect(report.posted.map((post) => post.chatId)).toEqual([GROUP]);
    const line = logs.find((entry) => entry.includes(`cannot post to chat ${CHANNEL}`))!;
    expect(line).toContain('need administrator rights in the channel chat');
    expect(line).toMatch(/administrator who can post/);
    expect((await store.get(CHANNEL))!.active).toBe(true);

    // Once an admin fixed the rights, the next delivery (e.g. the next start) brings what it missed.
    const again = await delivery.trigger('restart');
    expect(again.posted.map((post) => post.chatId)).toEqual([CHANNEL]);
    expect(fake.sentMessages(CHANNEL)).toHaveLength(1);
    expect(fake.sentMessages(GROUP)).toHaveLength(1);
  });

  it('Telegram unreachable (5xx): the run stops and is retried by itself', async () => {
    const logs: string[] = [];
    const store = await openStore(corpus.dir);
    await subscribe(store, corpus.index, [GROUP, CHANNEL]);
    const index = await corpus.ingest();
    fake.fail('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    const delivery = testDelivery(fake, store, () => index, { logs, retryDelayMs: 50 });
    closers.push(() => delivery.stop());
    const first = await delivery.trigger('ingest');
    expect(first.interrupted).toMatch(/502/);
    expect(first.posted).toEqual([]);
    await fake.waitFor(() => fake.sentMessages(GROUP).length === 1 && fake.sentMessages(CHANNEL).length === 1);
    expect(logs.some((line) => /trying again in/.test(line))).toBe(true);
  });

  it('a group upgraded to a supergroup: the subscription moves to the new id and the digest goes there', async () => {
    const logs: string[] = [];
    const store = await openStore(corpus.dir);
    await subscribe(store, corpus.index, [-555]);
    const index = await corpus.ingest();
    fake.fail('sendMessage', { error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1000555 } });
    const report = await testDelivery(fake, store, () => index, { logs }).trigger('ingest');
    expect(report.posted.map((post) => post.chatId)).toEqual([-1000555]);
    expect(await store.get(-555)).toBeUndefined();
    expect((await store.get(-1000555))!.active).toBe(true);
  });

  it('a changed article is posted again, marked as updated', async () => {
    const store = await openStore(corpus.dir);
    await subscribe(store, corpus.index, [GROUP]);
    const file = path.join(corpus.seedsDir, '000_427e375fdec6027b.txt');
    await writeFile(file, `${await readFile(file, 'utf8')}\n\n记者从会上获悉,委员们的建议将被整理成专报。`);
    const index = await (async () => {
      const { buildSeedIndex } = await import('../support/seed-index.js');
      return buildSeedIndex(corpus.indexDir, corpus.seedsDir);
    })();
    const report = await testDelivery(fake, store, () => index).trigger('reindex');
    expect(report.posted.map((post) => post.docId)).toEqual(['000_427e375fdec6027b']);
    expect(fake.sentMessages(GROUP)[0]!.plainText).toMatch(/^论坛摘要 · 2026年1月26日（报道已更新）/);
  });

  it('SUMMARY_CHAT_IDS: subscribed on first sight without past articles; an unsubscribed one stays so, with a hint', async () => {
    const logs: string[] = [];
    const store = await openStore(corpus.dir);
    await syncConfiguredChats(store, [{ chatId: CHANNEL, language: 'en' }], corpus.index, (line) => logs.push(line));
    expect(await testDelivery(fake, store, () => corpus.index).trigger('start')).toMatchObject({ posted: [] });
    expect(logs[0]).toMatch(/chat -100222 \(SUMMARY_CHAT_IDS\) subscribed/);

    const index = await corpus.ingest();
    await testDelivery(fake, store, () => index).trigger('ingest');
    expect(fake.sentMessages(CHANNEL)).toHaveLength(1);
    expect(fake.sentMessages(CHANNEL)[0]!.plainText).toMatch(/^Forum digest · 2026-03-10/);

    await store.end(CHANNEL, 'blocked', '403: Forbidden: bot is not a member of the channel chat');
    await syncConfiguredChats(store, [{ chatId: CHANNEL, language: 'en' }], index, (line) => logs.push(line));
    expect((await store.get(CHANNEL))!.active).toBe(false);
    expect(logs.at(-1)).toMatch(/is in SUMMARY_CHAT_IDS but unsubscribed \(blocked .*\); send \/subscribe there/);
  });
});
