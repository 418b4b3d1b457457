import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bot, GrammyError } from 'grammy';
import { startFakeTelegram, parseTelegramHtml, FakeApiError, type FakeTelegram } from './fake-telegram.js';

const TOKEN = '123456:TEST-TOKEN';

let fake: FakeTelegram;
let bots: Bot[] = [];

function makeBot(): Bot {
  const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
  bots.push(bot);
  return bot;
}

beforeEach(async () => {
  fake = await startFakeTelegram({ username: 'forum_test_bot' });
  bots = [];
});

afterEach(async () => {
  for (const bot of bots) if (bot.isRunning()) await bot.stop();
  await fake.close();
});

describe('fake Telegram server', () => {
  it('runs a long-polling grammY bot end to end', async () => {
    const bot = makeBot();
    bot.command('start', (ctx) => ctx.reply('welcome'));
    bot.on('message:text', (ctx) =>
      ctx.reply(`<b>echo</b>: ${ctx.message.text}`, { parse_mode: 'HTML', reply_parameters: { message_id: ctx.message.message_id } }),
    );
    const started = new Promise<void>((resolve) => void bot.start({ onStart: () => resolve() }));
    await started;
    expect(bot.botInfo.username).toBe('forum_test_bot');

    const start = fake.sendText({ chatId: 42, text: '/start' });
    expect(start.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    await fake.waitFor((calls) => calls.some((c) => c.method === 'sendMessage'));
    const hello = fake.sendText({ chatId: 42, text: 'hello' });
    await fake.waitFor((calls) => calls.filter((c) => c.method === 'sendMessage').length >= 2);

    const sent = fake.sentMessages(42);
    expect(sent.map((m) => m.text)).toEqual(['welcome', '<b>echo</b>: hello']);
    expect(sent[1]!.plainText).toBe('echo: hello');
    expect(sent[1]!.params.parse_mode).toBe('HTML');
    expect(sent[1]!.params.reply_parameters).toEqual({ message_id: hello.message.message_id });
    // message ids are shared per chat between incoming and outgoing messages
    expect(sent.map((m) => m.message_id)).toEqual([2, 4]);
    expect(fake.callsOf('sendMessage')[0]!.token).toBe(TOKEN);
    expect(fake.callsOf('getMe')).toHaveLength(1);
  });

  it('returns full Message objects and applies edits', async () => {
    const bot = makeBot();
    fake.sendText({ chatId: -1001234, chatType: 'supergroup', text: 'hi @forum_test_bot', isTopicMessage: true, threadId: 7 });
    const msg = await bot.api.sendMessage(-1001234, 'thinking <i>…</i>', { parse_mode: 'HTML', message_thread_id: 7 });
    expect(msg.text).toBe('thinking …');
    expect(msg.entities).toEqual([{ type: 'italic', offset: 9, length: 1 }]);
    expect(msg.from?.username).toBe('forum_test_bot');
    expect(msg.chat).toMatchObject({ id: -1001234, type: 'supergroup', is_forum: true });
    expect(msg.message_thread_id).toBe(7);

    const edited = await bot.api.editMessageText(-1001234, msg.message_id, 'done');
    expect(edited).toMatchObject({ text: 'done', message_id: msg.message_id });
    await expect(bot.api.editMessageText(-1001234, msg.message_id, 'done')).rejects.toMatchObject({
      error_code: 400,
      description: expect.stringContaining('Bad Request: message is not modified'),
    });
    const [stored] = fake.sentMessages(-1001234);
    expect(stored).toMatchObject({ text: 'done', edits: 1, params: { message_thread_id: 7 } });
    expect(stored!.params.parse_mode).toBeUndefined();

    await bot.api.deleteMessage(-1001234, msg.message_id);
    expect(fake.sentMessages(-1001234)).toEqual([]);
  });

  it('serves scripted failures as GrammyError', async () => {
    const bot = makeBot();
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    const err = await bot.api.sendMessage(1, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrammyError);
    expect(err).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    // only the next call fails
    await expect(bot.api.sendMessage(1, 'x')).resolves.toMatchObject({ text: 'x' });

    fake.fail('sendMessage', { error_code: 403, description: 'Forbidden: bot was blocked by the user' }, 2);
    await expect(bot.api.sendMessage(1, 'x')).rejects.toMatchObject({ error_code: 403 });
    await expect(bot.api.sendMessage(1, 'x')).rejects.toMatchObject({ error_code: 403 });
    await expect(bot.api.sendMessage(1, 'x')).resolves.toBeTruthy();
    expect(fake.callsOf('sendMessage')).toHaveLength(5);
  });

  it('validates HTML like Telegram', async () => {
    const bot = makeBot();
    await expect(bot.api.sendMessage(1, '<x>hi</x>', { parse_mode: 'HTML' })).rejects.toMatchObject({
      error_code: 400,
      description: expect.stringContaining("Bad Request: can't parse entities: Unsupported start tag \"x\""),
    });
    await expect(bot.api.sendMessage(1, '<b>a &amp; b</b>', { parse_mode: 'HTML' })).resolves.toMatchObject({
      text: 'a & b',
      entities: [{ type: 'bold', offset: 0, length: 5 }],
    });
    await expect(
      bot.api.sendMessage(1, '<blockquote expandable>quoted <a href="https://e.x/?a=1&amp;b=2">src</a></blockquote>', {
        parse_mode: 'HTML',
      }),
    ).resolves.toMatchObject({ text: 'quoted src' });

    const bad = ['a < b', 'a & b', '<b>x', '<b>x</i>', '</b>', '&nbsp;', '<span>x</span>', '<b><i>x</b></i>'];
    for (const text of bad) {
      expect(() => parseTelegramHtml(text), text).toThrow(FakeApiError);
    }
    const good = ['a > b', '&lt;&gt;&quot;&#39;&#x1F600;', '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', '<pre><code class="language-ts">x</code></pre>', '<B>x</B>'];
    for (const text of good) expect(() => parseTelegramHtml(text), text).not.toThrow();
    expect(parseTelegramHtml('<pre><code class="language-ts">x</code></pre>').entities).toEqual([
      { type: 'pre', offset: 0, length: 1, language: 'ts' },
    ]);

    await expect(bot.api.sendMessage(1, '<b></b>', { parse_mode: 'HTML' })).rejects.toMatchObject({
      description: 'Bad Request: message text is empty',
    });
    // 4096 visible UTF-16 units pass even though the raw HTML is longer; 4097 fail
    await expect(bot.api.sendMessage(1, `<b>${'&amp;'.repeat(4096)}</b>`, { parse_mode: 'HTML' })).resolves.toBeTruthy();
    await expect(bot.api.sendMessage(1, '😀'.repeat(2048) + 'x')).rejects.toMatchObject({
      description: 'Bad Request: message is too long',
    });
  });

  it('long polls: getUpdates with timeout waits, then returns []', async () => {
    const bot = makeBot();
    const t0 = Date.now();
    const result = await bot.api.getUpdates({ timeout: 1 });
    const elapsed = Date.now() - t0;
    expect(result).toEqual([]);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(1800);

    // a pushed update releases a waiting poll at once
    const t1 = Date.now();
    const pending = bot.api.getUpdates({ timeout: 10 });
    setTimeout(() => fake.sendSticker({ chatId: 5 }), 50);
    const got = await pending;
    expect(Date.now() - t1).toBeLessThan(1000);
    expect(got).toHaveLength(1);
    expect(got[0]!.message?.sticker).toBeTruthy();

    // offset confirms, limit caps
    fake.sendPhoto({ chatId: 5, caption: 'pic' });
    fake.channelPost({ chatId: -1009, text: 'news' });
    const next = await bot.api.getUpdates({ offset: got[0]!.update_id + 1, limit: 1 });
    expect(next).toHaveLength(1);
    expect(next[0]!.message?.caption).toBe('pic');
    const rest = await bot.api.getUpdates({ offset: next[0]!.update_id + 1 });
    expect(rest.map((u) => u.channel_post?.text)).toEqual(['news']);
  });

  it('close() ends a polling bot promptly', async () => {
    const bot = makeBot();
    const running = bot.start();
    await fake.waitFor((calls) => calls.some((c) => c.method === 'getUpdates' && c.params.timeout > 0));
    const t0 = Date.now();
    await bot.stop();
    await running;
    await fake.close();
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('close() releases a pending long poll without waiting for its timeout', async () => {
    const bot = makeBot();
    const pending = bot.api.getUpdates({ timeout: 30 });
    await fake.waitFor((calls) => calls.some((c) => c.method === 'getUpdates'));
    const t0 = Date.now();
    await fake.close();
    await expect(pending).resolves.toEqual([]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('handle() overrides results and waitFor() reports what was called', async () => {
    const bot = makeBot();
    await expect(bot.api.getChatMember(-100, 9)).resolves.toMatchObject({ status: 'member' });
    fake.handle('getChatMember', (p) => ({ status: 'administrator', user: { id: p.user_id, is_bot: false, first_name: 'A' } }));
    await expect(bot.api.getChatMember(-100, 9)).resolves.toMatchObject({ status: 'administrator', user: { id: 9 } });
    fake.handle('getChat', () => {
      throw new FakeApiError(400, 'Bad Request: chat not found');
    });
    await expect(bot.api.getChat(-5)).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: chat not found' });

    await bot.api.setMyCommands([{ command: 'ask', description: 'Ask' }]);
    await expect(bot.api.getMyCommands()).resolves.toEqual([{ command: 'ask', description: 'Ask' }]);

    await expect(fake.waitFor((calls) => calls.some((c) => c.method === 'sendPhoto'), 50)).rejects.toThrow(
      /getChatMember x2, getChat, setMyCommands, getMyCommands/,
    );
  });

  it('accepts application/x-www-form-urlencoded bodies', async () => {
    const res = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: '77', text: '123', reply_markup: '{"inline_keyboard":[[{"text":"a","callback_data":"b"}]]}' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.result).toMatchObject({ chat: { id: 77 }, text: '123', reply_markup: { inline_keyboard: [[{ text: 'a' }]] } });
    expect(fake.sentMessages(77)).toHaveLength(1);

    const bad = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: '77', text: '<x>', parse_mode: 'HTML' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error_code: 400 });
  });
});
