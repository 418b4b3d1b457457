import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAsker } from '../../src/answering/ask.js';
import { extractiveComposer, type Composer } from '../../src/answering/composer.js';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { buildIndex } from '../../src/index/build.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { IndexHolder } from '../../src/index/holder.js';
import { htmlToPlain } from '../../src/telegram/html.js';
import type { HistoryTurn } from '../../src/types.js';
import { createBot } from '../../src/telegram/bot.js';
import { reindexService } from '../../src/telegram/reindex.js';
import { startWebhook } from '../../src/telegram/webhook.js';
import { parseTelegramHtml, startFakeTelegram } from '../support/fake-telegram.js';
import { buildTestIndex, loadTestIndex, replies, SEEDS, startTestBot, TOKEN, waitForReplies, type TestBot } from './helpers.js';

const QUESTION = '黄宇红建议把哪个平台升级为国家级中试平台?';
const PLATFORM = '新一代移动信息网络技术产业中试平台';
const GROUP = -100777;

let index: ForumIndex;
let cleanup: () => Promise<void>;
let running: TestBot | undefined;

beforeAll(async () => {
  ({ index, cleanup } = await buildTestIndex());
}, 30_000);
afterAll(() => cleanup());
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(deps: Parameters<typeof startTestBot>[0] = { index: () => index }): Promise<TestBot> {
  running = await startTestBot(deps);
  return running;
}

/** Extractive answers, plus a hook to see or change what the composer gets. */
function spyComposer(onCompose: (question: string, history: HistoryTurn[]) => void): Composer {
  return {
    mode: 'extractive',
    compose(input) {
      onCompose(input.analysis.question, input.history);
      return extractiveComposer.compose(input);
    },
  };
}

describe('the bot in private chats', () => {
  it('answers a question with cited HTML, replying to it, after showing "typing…"', async () => {
    const { fake } = await start();
    const asked = fake.sendText({ chatId: 42, text: QUESTION });
    await waitForReplies(fake, 42, 1);

    const [reply] = replies(fake, 42);
    expect(reply!.params.parse_mode).toBe('HTML');
    expect(reply!.params.reply_parameters).toMatchObject({ message_id: asked.message.message_id });
    expect(reply!.text).toContain('<blockquote expandable>');
    expect(reply!.plainText).toContain(PLATFORM);
    expect(reply!.plainText).toMatch(/\[1\]/);
    // The cited passage itself is shown, as stored in the index.
    const expected = await createAsker({ index })(QUESTION);
    expect(expected.citations.length).toBeGreaterThan(0);
    for (const citation of expected.citations) expect(reply!.plainText).toContain(citation.text.replace(/\n{2,}/g, '\n').trim());
    // Each article's title once; each quote opens on the cited sentence, in bold.
    for (const title of new Set(expected.citations.map((citation) => citation.title))) expect(reply!.plainText.split(title)).toHaveLength(2);
    const parsed = parseTelegramHtml(reply!.text);
    const quote = parsed.entities.find((entity) => entity.type === 'expandable_blockquote')!;
    const bold = parsed.entities.find((entity) => entity.type === 'bold' && entity.offset === quote.offset + '[1] '.length)!;
    expect(parsed.text.slice(bold.offset, bold.offset + bold.length)).toContain(PLATFORM);
    expect(fake.callsOf('sendChatAction')[0]!.params).toMatchObject({ chat_id: 42, action: 'typing' });
  });

  it('follows a refusal with what the articles do cover: the nearest forums, who spoke, the commands', async () => {
    const { fake } = await start();
    fake.sendText({ chatId: 44, text: '冯莉琼最喜欢哪支足球队?' });
    fake.sendText({ chatId: 45, text: 'What did Zhang Wuji propose at the forum?' });
    await waitForReplies(fake, 44, 1);
    await waitForReplies(fake, 45, 1);
    const [zh] = replies(fake, 44);
    const [en] = replies(fake, 45);
    expect(zh!.plainText).toContain('没有提到');
    // The forum she spoke at comes first, with its members, so the reader can ask about them instead.
    const forum = [...index.corpus.documents.values()].find((document) => document.people.some((person) => person.name === '冯莉琼'))!;
    expect(zh!.plainText.indexOf(forum.people[0]!.name)).toBeGreaterThan(zh!.plainText.indexOf('最接近'));
    expect(zh!.plainText).toContain('/summary');
    expect(en!.plainText).toContain("don't cover");
    expect(en!.plainText).toMatch(/members [A-Z][a-z]+ [A-Z]/);
    expect(en!.plainText).toContain('/sources');
  });

  it('gives a one-line hint for photos and stickers', async () => {
    const { fake } = await start();
    fake.sendPhoto({ chatId: 43 });
    fake.sendSticker({ chatId: 43 });
    await waitForReplies(fake, 43, 2);
    expect(replies(fake, 43).map((message) => message.plainText)).toEqual([
      'I can only read text: please send your question as a text message.',
      'I can only read text: please send your question as a text message.',
    ]);
  });

  it('refuses an overlong question politely, in the question language', async () => {
    const { fake } = await start({ index: () => index, maxQuestionChars: 50 });
    fake.sendText({ chatId: 44, text: '请问'.repeat(40) });
    await waitForReplies(fake, 44, 1);
    expect(replies(fake, 44)[0]!.plainText).toBe('问题有 80 个字，超过了 50 字的上限，请简短一些再问。');
  });

  it('passes the recent turns as history, so follow-ups have context', async () => {
    const seen: HistoryTurn[][] = [];
    const { fake } = await start({ index: () => index, composer: spyComposer((_q, history) => seen.push(history)) });
    fake.sendText({ chatId: 45, text: QUESTION });
    await waitForReplies(fake, 45, 1);
    fake.sendText({ chatId: 45, text: '她还建议了什么?' });
    await waitForReplies(fake, 45, 2);
    expect(seen[0]).toEqual([]);
    expect(seen[1]).toHaveLength(1);
    expect(seen[1]![0]!.question).toBe(QUESTION);
    expect(seen[1]![0]!.answer).toContain(PLATFORM);
    // Another chat has its own (empty) history.
    fake.sendText({ chatId: 46, text: '她还建议了什么?' });
    await waitForReplies(fake, 46, 1);
    expect(seen[2]).toEqual([]);
  });

  it('answers 50 chats asking at once', async () => {
    const { fake } = await start({ index: () => index, throttle: true });
    const chats = Array.from({ length: 50 }, (_, i) => 1000 + i);
    for (const chatId of chats) fake.sendText({ chatId, text: chatId % 2 ? QUESTION : '2026年座谈会的主题是什么?' });
    await fake.waitFor(() => chats.every((chatId) => replies(fake, chatId).length >= 1), 15_000);
    for (const chatId of chats) expect(replies(fake, chatId)[0]!.params.reply_parameters).toBeDefined();
    expect(replies(fake, 1001)[0]!.plainText).toContain(PLATFORM);
  }, 20_000);

  it('limits questions per user with one friendly notice', async () => {
    const { fake } = await start({ index: () => index, rateLimit: { questions: 2, windowSeconds: 60 } });
    for (let i = 0; i < 4; i++) fake.sendText({ chatId: 47, text: QUESTION });
    fake.sendText({ chatId: 48, text: QUESTION }); // someone else is not affected
    await waitForReplies(fake, 48, 1);
    await waitForReplies(fake, 47, 3);
    const texts = replies(fake, 47).map((message) => message.plainText);
    expect(texts[2]).toBe('提问有点快了：请在 60 秒后再问，在此之前发来的问题不会回答。');
    await fake.waitFor(() => running!.inflight.size === 0);
    expect(replies(fake, 47)).toHaveLength(3);
  });

  it('apologises for a failing update and keeps going', async () => {
    const composer: Composer = {
      mode: 'extractive',
      compose(input) {
        if (input.analysis.question.includes('BOOM')) throw new Error('composer exploded');
        return extractiveComposer.compose(input);
      },
    };
    const { fake, logs } = await start({ index: () => index, composer });
    fake.sendText({ chatId: 49, text: 'BOOM 黄宇红?' });
    await waitForReplies(fake, 49, 1);
    expect(replies(fake, 49)[0]!.plainText).toBe('抱歉，处理这条消息时出错了，请稍后再试。');
    expect(logs.some((line) => line.includes('composer exploded'))).toBe(true);
    fake.sendText({ chatId: 49, text: QUESTION });
    await waitForReplies(fake, 49, 2);
    expect(replies(fake, 49)[1]!.plainText).toContain(PLATFORM);
  });
});

describe('the bot in groups and forum topics', () => {
  it('stays silent unless mentioned, replied to, or asked with /ask@bot; answers in the same thread', async () => {
    const { fake } = await start();
    const group = { chatId: GROUP, chatType: 'supergroup' as const };
    fake.sendText({ ...group, text: QUESTION }); // no mention: silence
    fake.sendText({ ...group, text: `/ask@other_bot ${QUESTION}` }); // another bot's command: silence
    fake.sendSticker({ chatId: GROUP }); // media not for us: silence
    const mention = fake.sendText({ ...group, text: `@test_bot ${QUESTION}` });
    await waitForReplies(fake, GROUP, 1);
    const first = replies(fake, GROUP)[0]!;
    expect(first.params.reply_parameters).toMatchObject({ message_id: mention.message.message_id });
    expect(first.plainText).toContain(PLATFORM);

    const reply = fake.sendText({ ...group, text: '2026年座谈会的主题是什么?', replyTo: { message_id: first.message_id } });
    await waitForReplies(fake, GROUP, 2);
    expect(replies(fake, GROUP)[1]!.params.reply_parameters).toMatchObject({ message_id: reply.message.message_id });

    const command = fake.sendText({ ...group, text: `/ask@test_bot ${QUESTION}` });
    await waitForReplies(fake, GROUP, 3);
    expect(replies(fake, GROUP)[2]!.params.reply_parameters).toMatchObject({ message_id: command.message.message_id });
    expect(replies(fake, GROUP)[2]!.plainText).toContain(PLATFORM);
    expect(replies(fake, GROUP)).toHaveLength(3);
    expect(fake.callsOf('sendChatAction')).toHaveLength(3);
  });

  it('keeps the forum topic (message_thread_id)', async () => {
    const { fake } = await start();
    const asked = fake.sendText({ chatId: -100888, chatType: 'supergroup', isTopicMessage: true, threadId: 7, text: `@test_bot ${QUESTION}` });
    await waitForReplies(fake, -100888, 1);
    const [reply] = replies(fake, -100888);
    expect(reply!.params.message_thread_id).toBe(7);
    expect(reply!.params.reply_parameters).toMatchObject({ message_id: asked.message.message_id });
    expect(fake.callsOf('sendChatAction')[0]!.params.message_thread_id).toBe(7);
  });
});

describe('delivery', () => {
  it('retries after a 429 with retry_after and delivers', async () => {
    const { fake } = await start();
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    fake.sendText({ chatId: 50, text: QUESTION });
    await waitForReplies(fake, 50, 1);
    const attempts = fake.callsOf('sendMessage');
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('re-sends as plain text when Telegram rejects the formatting', async () => {
    const { fake } = await start();
    fake.fail('sendMessage', { error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0" });
    fake.sendText({ chatId: 51, text: QUESTION });
    await waitForReplies(fake, 51, 1);
    const [reply] = replies(fake, 51);
    expect(reply!.params.parse_mode).toBeUndefined();
    expect(reply!.text).toContain(PLATFORM);
    expect(reply!.text).not.toContain('<blockquote');
  });

  it('splits a 5,000-character answer into valid messages and escapes <>&', async () => {
    const long = Array.from({ length: 180 }, (_, i) => `第${i + 1}点：a<b && c>d，推动融合发展。[1]`).join('');
    const composer: Composer = {
      mode: 'llm',
      async compose() {
        return {
          text: long, refused: false, mode: 'llm',
          citations: [{ n: 1, docId: 'd', title: 'T<&>', date: '2026-01-26', url: null, chunkId: 'd#0', text: 'x < y & z > w' }],
        };
      },
    };
    const { fake } = await start({ index: () => index, composer });
    const asked = fake.sendText({ chatId: 52, text: '请写长一点 <谢谢> & 好吗?' });
    await fake.waitFor(() => replies(fake, 52).some((message) => message.plainText.includes('x < y & z > w')));
    const parts = replies(fake, 52);
    expect(long.length).toBeGreaterThan(4096);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) {
      expect(part.params.parse_mode).toBe('HTML');
      expect(part.plainText.length).toBeLessThanOrEqual(4096);
      expect(() => parseTelegramHtml(part.text)).not.toThrow();
    }
    expect(parts[0]!.params.reply_parameters).toMatchObject({ message_id: asked.message.message_id });
    expect(parts.slice(1).every((part) => part.params.reply_parameters === undefined)).toBe(true);
    expect(parts.map((part) => part.plainText).join('')).toContain('a<b && c>d');
  });

  it('streams a composer\'s text by editing one message, then ends with the final answer', async () => {
    const composer: Composer = {
      mode: 'llm',
      async compose(input) {
        const words = ['黄宇红', '建议', '升级', '中试平台', '[1]'];
        let text = '';
        for (const word of words) {
          text += word;
          input.onText?.(text);
          await new Promise((resolve) => setTimeout(resolve, 60));
        }
        return { ...(await extractiveComposer.compose(input)), mode: 'llm' };
      },
    };
    const { fake } = await start({ index: () => index, composer, streamEditIntervalMs: 100 });
    fake.sendText({ chatId: 53, text: QUESTION });
    await fake.waitFor(() => replies(fake, 53).some((message) => message.params.parse_mode === 'HTML'));
    const [message] = replies(fake, 53);
    expect(replies(fake, 53)).toHaveLength(1);
    expect(message!.edits).toBeGreaterThanOrEqual(1);
    expect(message!.plainText).toContain(PLATFORM);
    expect(message!.text).toContain('<blockquote expandable>');
    const edits = fake.callsOf('editMessageText');
    for (let i = 1; i < edits.length; i++) expect(edits[i]!.at - edits[i - 1]!.at).toBeGreaterThanOrEqual(90);
    expect(fake.callsOf('sendMessage')[0]!.params.text).toMatch(/^黄宇红/);
  });
});

describe('commands', () => {
  it('/start and /help describe the sessions and dates; /sources lists articles; /summary gives the latest digest', async () => {
    const { fake } = await start();
    fake.sendText({ chatId: 60, text: '/start' });
    await waitForReplies(fake, 60, 1);
    fake.sendText({ chatId: 60, text: '/sources' });
    await waitForReplies(fake, 60, 2);
    fake.sendText({ chatId: 60, text: '/summary' });
    await waitForReplies(fake, 60, 3);
    fake.sendText({ chatId: 60, text: '/nonsense' });
    await waitForReplies(fake, 60, 4);
    const [help, sources, summary, unknown] = replies(fake, 60).map((message) => message.plainText);
    expect(help).toContain('北京市政协十四届四次会议');
    expect(help).toContain('2026-01-26');
    expect(help).toContain('2025-01-15');
    expect(help).toContain('What did Wang Lei propose?');
    expect(help).toContain('2026年1月26日座谈会的主题是什么？');
    for (const document of index.corpus.documents.values()) expect(sources).toContain(document.title);
    expect(summary).toContain('Forum digest · 2026-01-26');
    expect(summary).toContain('黄宇红');
    expect(unknown).toMatch(/don't know that command/);
  });

  it('/reindex: refused for others; for an admin it rebuilds and swaps while questions keep being answered', async () => {
    const built = await buildTestIndex();
    const holder = await IndexHolder.open({ directory: built.directory, load: loadTestIndex });
    const before = holder.current;
    try {
      const { fake } = await start({
        index: () => holder.current,
        adminUserIds: new Set([9001]),
        reindex: reindexService({
          build: () => buildIndex({ seedsDir: SEEDS, indexDir: built.directory, embedder: new LexicalEmbedder(), force: true }),
          holder,
        }),
      });
      fake.sendText({ chatId: 70, text: '/reindex' });
      await waitForReplies(fake, 70, 1);
      expect(replies(fake, 70)[0]!.plainText).toBe('Sorry, only the bot admins can rebuild the index.');

      fake.sendText({ chatId: 9001, text: '/reindex' });
      const askers = Array.from({ length: 5 }, (_, i) => 7100 + i);
      for (const chatId of askers) fake.sendText({ chatId, text: QUESTION });
      fake.sendText({ chatId: 9001, text: QUESTION }); // the admin's own chat is not held up either
      await fake.waitFor(() => replies(fake, 9001).length >= 3, 15_000);
      await fake.waitFor(() => askers.every((chatId) => replies(fake, chatId).length >= 1));
      const adminTexts = replies(fake, 9001).map((message) => message.plainText);
      expect(adminTexts[0]).toBe('Rebuilding the index; questions are still answered meanwhile…');
      expect(adminTexts).toContain(`The index is updated: ${before.corpus.documents.size} articles.`);
      expect(holder.generation).toBe(1);
      expect(holder.current).not.toBe(before);
      for (const chatId of askers) expect(replies(fake, chatId)[0]!.plainText).toContain(PLATFORM);
      // After the swap, answers come from the new index.
      fake.sendText({ chatId: 7200, text: QUESTION });
      await waitForReplies(fake, 7200, 1);
      expect(replies(fake, 7200)[0]!.plainText).toContain(PLATFORM);
    } finally {
      holder.close();
      await built.cleanup();
    }
  }, 30_000);
});

describe('webhook mode', () => {
  it('registers the webhook with its secret, refuses requests without it, and answers', async () => {
    const fake = await startFakeTelegram({ username: 'test_bot' });
    const bot = createBot({ token: TOKEN, apiRoot: fake.apiRoot, index: () => index, throttle: false, log: () => undefined });
    const hook = await startWebhook(bot, { url: 'https://bot.example.org/hook', path: '/hook', host: '127.0.0.1', port: 0, secret: 'sekret', log: () => undefined });
    try {
      expect(fake.callsOf('setWebhook')[0]!.params).toMatchObject({ url: 'https://bot.example.org/hook', secret_token: 'sekret', allowed_updates: ['message', 'edited_message', 'channel_post', 'my_chat_member'] });
      const update = fake.sendText({ chatId: 80, text: QUESTION });
      const post = (secret: string, path = '/hook') =>
        fetch(`http://127.0.0.1:${hook.port}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
          body: JSON.stringify(update),
        });
      expect((await post('wrong')).status).toBe(401);
      expect((await post('sekret', '/other')).status).toBe(404);
      expect((await post('sekret')).status).toBe(200);
      await waitForReplies(fake, 80, 1);
      expect(replies(fake, 80)).toHaveLength(1);
      expect(replies(fake, 80)[0]!.plainText).toContain(PLATFORM);
    } finally {
      await hook.stop();
      await fake.close();
    }
  });
});

describe('html helpers used by delivery', () => {
  it('plain-text fallback keeps the visible text', () => {
    expect(htmlToPlain('<b>a</b> &lt;b&gt; &amp; <blockquote expandable>q</blockquote>')).toBe('a <b> & q');
  });
});
