import { Api } from 'grammy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IndexHolder } from '../../src/index/holder.js';
import { SummaryDelivery } from '../../src/telegram/digests/deliver.js';
import { extractiveSummarizer } from '../../src/summaries/digest.js';
import type { FileSubscriptionStore } from '../../src/summaries/subscriptions.js';
import { createBot } from '../../src/telegram/bot.js';
import { registerCommands } from '../../src/telegram/run.js';
import { parseTelegramHtml, startFakeTelegram } from '../support/fake-telegram.js';
import { replies, startTestBot, TOKEN, waitForReplies, type TestBot } from '../telegram/helpers.js';
import { makeCorpus, NEW_ARTICLE, openStore, watchIndex, type Corpus } from './helpers.js';

const GROUP = -1001234567890;
const CHANNEL = -1009876543210;
const ADMIN = 501;
const MEMBER = 502;

let corpus: Corpus;
let running: TestBot | undefined;
let store: FileSubscriptionStore;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  corpus = await makeCorpus();
});
afterAll(() => corpus.cleanup());
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await running?.stop();
  running = undefined;
});

async function start(): Promise<TestBot> {
  store = await openStore(corpus.dir + `/store-${Date.now()}-${Math.random()}`);
  running = await startTestBot({ index: () => corpus.index, subscriptions: store });
  // Only ADMIN administers the group.
  running.fake.handle('getChatMember', (params) => ({
    status: params.user_id === ADMIN ? 'administrator' : 'member',
    user: { id: params.user_id, is_bot: false, first_name: 'U' },
    ...(params.user_id === ADMIN ? { can_be_edited: false, is_anonymous: false, can_manage_chat: true } : {}),
  }));
  return running;
}

const texts = (bot: TestBot, chatId: number) => bot.fake.sentMessages(chatId).map((message) => message.plainText);

describe('/subscribe and /unsubscribe', () => {
  it('a group admin subscribes the group: a confirmation, the latest digest once, and the current articles count as delivered', async () => {
    const bot = await start();
    bot.fake.sendText({ chatId: GROUP, chatType: 'supergroup', fromId: ADMIN, text: '/subscribe' });
    await waitForReplies(bot.fake, GROUP, 2);
    const [confirmation, welcome] = texts(bot, GROUP);
    expect(confirmation).toMatch(/^Subscribed to forum digests/);
    expect(welcome).toMatch(/^Forum digest · 2026-01-26/);
    expect(welcome).toContain('黄宇红');
    expect(bot.fake.callsOf('getChatMember')[0]!.params).toMatchObject({ chat_id: GROUP, user_id: ADMIN });

    const saved = (await store.get(GROUP))!;
    expect(saved).toMatchObject({ active: true, source: 'command', by: ADMIN, language: 'en' });
    const hashes = [...corpus.index.corpus.documents.values()].map((document) => document.contentHash).sort();
    expect([...(await store.delivered(GROUP)).keys()].sort()).toEqual(hashes);

    // Again: already subscribed, no second welcome.
    bot.fake.sendText({ chatId: GROUP, chatType: 'supergroup', fromId: ADMIN, text: '/subscribe' });
    await waitForReplies(bot.fake, GROUP, 3);
    expect(texts(bot, GROUP)[2]).toMatch(/already subscribed/);
  });

  it('a member who is not an admin is refused, and nothing changes', async () => {
    const bot = await start();
    bot.fake.sendText({ chatId: GROUP, chatType: 'supergroup', fromId: MEMBER, text: '/subscribe' });
    await waitForReplies(bot.fake, GROUP, 1);
    expect(texts(bot, GROUP)).toEqual(["Only this chat's administrators can subscribe it to forum digests or unsubscribe it."]);
    expect(await store.list()).toEqual([]);

    bot.fake.sendText({ chatId: GROUP, chatType: 'supergroup', fromId: ADMIN, text: '/subscribe zh' });
    await waitForReplies(bot.fake, GROUP, 3);
    bot.fake.sendText({ chatId: GROUP, chatType: 'supergroup', fromId: MEMBER, text: '/unsubscribe' });
    await waitForReplies(bot.fake, GROUP, 4);
    expect(texts(bot, GROUP)[3]).toBe('只有本群的管理员可以订阅或取消订阅论坛摘要。');
    expect((await store.get(GROUP))!.active).toBe(true);

    bot.fake.sendText({ chatId: GROUP, chatType: 'supergroup', fromId: ADMIN, text: '/unsubscribe' });
    await waitForReplies(bot.fake, GROUP, 5);
    expect(texts(bot, GROUP)[4]).toBe('已取消订阅论坛摘要。');
    expect((await store.get(GROUP))!).toMatchObject({ active: false, ended: { reason: 'unsubscribed', detail: `by user ${ADMIN}` } });
  });

  it('an anonymous admin (writing as the group) may subscribe it', async () => {
    const bot = await start();
    const chat = { id: GROUP, type: 'supergroup', title: 'Forum watchers' };
    bot.fake.pushUpdate({
      message: {
        message_id: 77,
        date: Math.floor(Date.now() / 1000),
        chat,
        sender_chat: chat,
        from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' },
        text: '/subscribe',
        entities: [{ type: 'bot_command', offset: 0, length: 10 }],
      },
    });
    await waitForReplies(bot.fake, GROUP, 2);
    expect(texts(bot, GROUP)[0]).toMatch(/^已订阅论坛摘要/);
    expect(await store.get(GROUP)).toMatchObject({ active: true, title: 'Forum watchers', language: 'zh' });
    expect(bot.fake.callsOf('getChatMember')).toHaveLength(0);
  });

  it('in a channel the command arrives as a channel post: accepted (only admins can post there), answered in the channel', async () => {
    const bot = await start();
    bot.fake.channelPost({ chatId: CHANNEL, text: '/subscribe', title: 'CPPCC digest' });
    await bot.fake.waitFor(() => bot.fake.sentMessages(CHANNEL).length >= 2);
    const [confirmation, welcome] = texts(bot, CHANNEL);
    expect(confirmation).toMatch(/^已订阅论坛摘要/);
    expect(welcome).toMatch(/^论坛摘要 · 2026年1月26日/);
    expect(await store.get(CHANNEL)).toMatchObject({ active: true, source: 'command', title: 'CPPCC digest', language: 'zh' });

    bot.fake.channelPost({ chatId: CHANNEL, text: '/unsubscribe' });
    await bot.fake.waitFor(() => bot.fake.sentMessages(CHANNEL).length >= 3);
    expect(texts(bot, CHANNEL)[2]).toBe('已取消订阅论坛摘要。');
  });

  it('a private chat subscribes itself; removing the bot from a chat unsubscribes it', async () => {
    const bot = await start();
    bot.fake.sendText({ chatId: 77, text: '/subscribe' });
    await waitForReplies(bot.fake, 77, 2);
    expect(await store.get(77)).toMatchObject({ active: true, source: 'private', by: 77 });

    bot.fake.sendText({ chatId: GROUP, chatType: 'supergroup', fromId: ADMIN, text: '/subscribe' });
    await waitForReplies(bot.fake, GROUP, 2);
    bot.fake.pushUpdate({
      my_chat_member: {
        chat: { id: GROUP, type: 'supergroup', title: 'G' },
        from: { id: ADMIN, is_bot: false, first_name: 'A' },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'member', user: { id: bot.fake.botInfo.id, is_bot: true, first_name: 'Bot' } },
        new_chat_member: { status: 'kicked', until_date: 0, user: { id: bot.fake.botInfo.id, is_bot: true, first_name: 'Bot' } },
      },
    });
    await bot.fake.waitFor(() => bot.logs.some((line) => line.includes('removed from supergroup')));
    expect(await store.get(GROUP)).toMatchObject({ active: false, ended: { reason: 'removed' } });
  });

  it('end to end: subscribe in a group and a channel, ingest a new article → one digest each; again → none', async () => {
    const bot = await start();
    bot.fake.sendText({ chatId: GROUP, chatType: 'supergroup', fromId: ADMIN, text: '/subscribe' });
    bot.fake.channelPost({ chatId: CHANNEL, text: '/subscribe' });
    await bot.fake.waitFor(() => bot.fake.sentMessages(GROUP).length >= 2 && bot.fake.sentMessages(CHANNEL).length >= 2);

    const delivery = new SummaryDelivery({
      api: new Api(TOKEN, { apiRoot: bot.fake.apiRoot }),
      store,
      summarizer: extractiveSummarizer,
      index: () => holder.current,
      log: (line) => void bot.logs.push(line),
    });
    const holder: IndexHolder = await watchIndex(corpus.indexDir, () => void delivery.trigger('an index reload'));
    closers.push(() => holder.close(), () => delivery.stop());
    await corpus.ingest();
    await bot.fake.waitFor(() => bot.fake.sentMessages(GROUP).length >= 3 && bot.fake.sentMessages(CHANNEL).length >= 3, 10_000);
    await delivery.trigger('settled');
    expect(texts(bot, GROUP)).toHaveLength(3);
    expect(texts(bot, CHANNEL)).toHaveLength(3);
    expect(texts(bot, GROUP)[2]).toMatch(/^Forum digest · 2026-03-10/);
    expect(texts(bot, CHANNEL)[2]).toMatch(/^论坛摘要 · 2026年3月10日/);
    expect((await delivery.trigger('again')).posted).toEqual([]);
    expect(texts(bot, GROUP)).toHaveLength(3);
  }, 30_000);
});

describe('/summary', () => {
  it('the latest forum, all of them, a year, a date; unknown periods and arguments get a hint', async () => {
    const bot = await start();
    const ask = async (text: string, count: number) => {
      bot.fake.sendText({ chatId: 90, text });
      await waitForReplies(bot.fake, 90, count);
      return replies(bot.fake, 90).at(-1)!;
    };
    const latest = await ask('/summary', 1);
    const newest = [...corpus.index.corpus.documents.values()].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))[0]!;
    expect(latest.plainText).toContain(`Forum digest · ${newest.date}`);
    expect(latest.params.reply_parameters).toBeDefined();

    const all = await ask('/summary all', 2);
    expect(all.plainText).toMatch(/^Forum sessions indexed \(\d\)/);
    expect(all.plainText).toContain('马光辉');
    expect(all.plainText).toContain('黄宇红');
    expect(all.plainText.indexOf('2026-01-26')).toBeLessThan(all.plainText.indexOf('2025-01-15'));

    const year = await ask('/summary 2025', 3);
    expect(year.plainText).toMatch(/^Forum digest · 2025-01-15/);
    // One line per member, and the passages behind one expandable quote.
    for (const name of ['马光辉', '褚潇炜', '俞会根', '顾行发', '赵宇']) expect(year.plainText).toMatch(new RegExp(`\\n[A-Z][a-z]+ [A-Z][a-z]+ ${name}（[^\\n]+\\[\\d+\\]。\\n`));
    expect(parseTelegramHtml(year.text).entities.filter((entity) => entity.type === 'expandable_blockquote')).toHaveLength(1);
    expect(year.plainText).not.toContain('黄宇红');

    const date = await ask('/summary 2025年1月15日', 4);
    expect(date.plainText).toMatch(/^论坛摘要 · 2025年1月15日/);

    expect((await ask('/summary 1999', 5)).plainText).toMatch(/^No forum report from 1999\. Dates indexed: .*2025-01-15/);
    expect((await ask('/summary please', 6)).plainText).toMatch(/^Usage: \/summary/);
    expect(bot.fake.callsOf('sendChatAction').length).toBeGreaterThan(0);
  });

  it('the command menu offers /summary, /subscribe and /unsubscribe in English and Chinese', async () => {
    const fake = await startFakeTelegram({ username: 'test_bot' });
    closers.push(() => fake.close());
    const bot = createBot({ token: TOKEN, apiRoot: fake.apiRoot, botInfo: fake.botInfo as never, index: () => corpus.index, throttle: false, log: () => undefined });
    await registerCommands(bot, [], () => undefined);
    for (const call of fake.callsOf('setMyCommands')) {
      const names = (call.params.commands as { command: string }[]).map((command) => command.command);
      expect(names).toEqual(expect.arrayContaining(['summary', 'subscribe', 'unsubscribe']));
    }
    expect(fake.callsOf('setMyCommands').map((call) => call.params.language_code ?? 'default').sort()).toEqual(['default', 'zh']);
  });

  it('every message the bot sends for summaries passes Telegram HTML parsing', async () => {
    const bot = await start();
    bot.fake.sendText({ chatId: 91, text: '/summary 2025' });
    bot.fake.sendText({ chatId: 92, text: '/subscribe' });
    await waitForReplies(bot.fake, 91, 1);
    await waitForReplies(bot.fake, 92, 2);
    for (const message of [...bot.fake.sentMessages(91), ...bot.fake.sentMessages(92)]) {
      expect(message.params.parse_mode).toBe('HTML');
      expect(() => parseTelegramHtml(message.text)).not.toThrow();
    }
  });
});
