/**
 * Admins add articles by sending files to the bot, and /reindex reports by title, end to end:
 * the real bot against the fake Bot API (which serves the files), a real index of a copy of the
 * seeds rebuilt by the real build, hot-swapped, and digests posted by the real delivery.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LexicalEmbedder } from '../../src/embedding/lexical.js';
import { buildIndex } from '../../src/index/build.js';
import { IndexHolder } from '../../src/index/holder.js';
import { baselineOf, type FileSubscriptionStore } from '../../src/summaries/subscriptions.js';
import { reindexService, type DigestSender } from '../../src/telegram/reindex.js';
import { makeCorpus, NEW_ARTICLE, openStore, postsTo, testDelivery, type Corpus } from '../summaries/helpers.js';
import { loadTestIndex, replies, startTestBot, waitForReplies, type TestBot } from './helpers.js';

const ADMIN = 601;
const STRANGER = 602;
const GROUP = -1005550001;

let corpus: Corpus;
let holder: IndexHolder;
let store: FileSubscriptionStore;
let bot: TestBot;
let sender: DigestSender | undefined;

beforeAll(async () => {
  corpus = await makeCorpus();
  store = await openStore(corpus.dir);
  holder = await IndexHolder.open({
    directory: corpus.indexDir,
    load: loadTestIndex,
    onSwap: () => void sender?.delivery.trigger('an index reload'),
  });
  bot = await startTestBot({
    index: () => holder.current,
    subscriptions: store,
    adminUserIds: new Set([ADMIN]),
    seedsDir: corpus.seedsDir,
    reindex: reindexService({
      build: () => buildIndex({ seedsDir: corpus.seedsDir, indexDir: corpus.indexDir, embedder: new LexicalEmbedder() }),
      holder,
      digests: () => sender,
    }),
  });
  sender = { delivery: testDelivery(bot.fake, store, () => holder.current), store };
  // A group subscribed before the uploads (as SUMMARY_CHAT_IDS would): it has had today's articles.
  await store.subscribe(
    { chatId: GROUP, source: 'config', language: 'zh', since: new Date().toISOString(), title: '论坛观察群' },
    baselineOf(holder.current.corpus.documents.values()),
  );
}, 20_000);

afterAll(async () => {
  await sender?.delivery.stop();
  await bot?.stop();
  holder?.close();
  await corpus?.cleanup();
});

const articleFile = (article: typeof NEW_ARTICLE) =>
  `---\ntitle: ${article.title}\ndate: ${article.date}\npublisher: 新京报\nsession: ${article.session}\n---\n${article.text}\n`;

const seedFiles = () => readdir(corpus.seedsDir).then((names) => names.sort());

/** The bot's reply after the "checking" one: the report of a document sent in `chatId`. */
async function reportAfter(chatId: number, count: number): Promise<string> {
  await waitForReplies(bot.fake, chatId, count, 15_000);
  return replies(bot.fake, chatId)[count - 1]!.plainText;
}

/** A command from a user whose Telegram is set to `languageCode`. */
let nextMessageId = 5000;
function commandAs(chatId: number, text: string, languageCode: string): void {
  const user = { id: chatId, is_bot: false, first_name: 'Admin', language_code: languageCode };
  bot.fake.pushUpdate({
    message: {
      message_id: nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private', first_name: 'Admin' },
      from: user,
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.length }],
    },
  });
}

describe('an admin sends an article file', () => {
  it('is indexed, its digest posted to the subscribed group once, and the admin told what arrived and where it went', async () => {
    const before = await seedFiles();
    bot.fake.sendDocument({ chatId: ADMIN, fileName: `${NEW_ARTICLE.file}.md`, content: articleFile(NEW_ARTICLE) });
    await waitForReplies(bot.fake, ADMIN, 1);
    expect(replies(bot.fake, ADMIN)[0]!.plainText).toBe(`Got “${NEW_ARTICLE.file}.md”; checking and indexing it…`);

    const report = await reportAfter(ADMIN, 2);
    expect(report).toContain(`Added “${NEW_ARTICLE.title}” (${NEW_ARTICLE.date}), saved as ${NEW_ARTICLE.file}.md.`);
    expect(report).toMatch(/Members found \(2\): 李明 \(北京城市更新研究院院长\), 周婷 \(北京康养服务集团有限公司董事长\)\./);
    expect(report).toContain('Digests sent to 1 subscribed chat(s): 论坛观察群.');
    expect(report).not.toMatch(/\/tmp|lexical|chunk/);

    expect(await seedFiles()).toEqual([...before, `${NEW_ARTICLE.file}.md`].sort());
    expect(holder.current.corpus.documents.get(NEW_ARTICLE.file)?.title).toBe(NEW_ARTICLE.title);
    const posted = postsTo(bot.fake, GROUP);
    expect(posted).toHaveLength(1);
    expect(bot.fake.sentMessages(GROUP)[0]!.plainText).toMatch(/^论坛摘要 · 2026年3月10日/);

    // The same file again: nothing new, no second digest.
    bot.fake.sendDocument({ chatId: ADMIN, fileName: `${NEW_ARTICLE.file}.md`, content: articleFile(NEW_ARTICLE) });
    expect(await reportAfter(ADMIN, 4)).toMatch(/is already indexed \(007_new_forum\.md\) as it is; nothing changed\.\nMembers found \(2\)/);
    expect((await sender!.delivery.trigger('again')).posted).toEqual([]);
    expect(postsTo(bot.fake, GROUP)).toHaveLength(1);
  }, 30_000);

  it('a name in use: a new version of that report is not saved unless "replace" is asked; another report is saved beside it', async () => {
    const target = path.join(corpus.seedsDir, `${NEW_ARTICLE.file}.md`);
    const earlier = await readFile(target, 'utf8');
    const newVersion = { ...NEW_ARTICLE, text: `${NEW_ARTICLE.text}\n\n他还建议,完善城市更新项目的居民议事机制,让居民全程参与改造方案。` };
    const count = replies(bot.fake, ADMIN).length;
    const before = await seedFiles();

    bot.fake.sendDocument({ chatId: ADMIN, fileName: `${NEW_ARTICLE.file}.md`, content: articleFile(newVersion) });
    expect(await reportAfter(ADMIN, count + 2)).toBe(
      `Another version of “${NEW_ARTICLE.title}” (${NEW_ARTICLE.date}) is already saved as ${NEW_ARTICLE.file}.md; it was not overwritten and this file was not saved. To replace it with this one, send the file again with the caption “replace”.`,
    );
    expect(await seedFiles()).toEqual(before);

    // A different report that happens to have the same file name, from an admin writing in Chinese.
    const other = { ...NEW_ARTICLE, title: '市政协委员视察老旧小区改造', date: '2026-03-11' };
    bot.fake.sendDocument({ chatId: ADMIN, fileName: `${NEW_ARTICLE.file}.md`, content: articleFile(other), languageCode: 'zh-hans' });
    const renamed = await reportAfter(ADMIN, count + 4);
    expect(renamed).toContain(`已有一篇不同的报道叫 ${NEW_ARTICLE.file}.md，没有覆盖它，这篇另存为 ${NEW_ARTICLE.file}-2.md。`);
    expect(renamed).toContain(`已收录《${other.title}》（2026年3月11日），保存为 ${NEW_ARTICLE.file}-2.md。`);
    expect(renamed).toContain('找到 2 位发言的委员：李明（北京城市更新研究院院长）、周婷（北京康养服务集团有限公司董事长）。');
    expect(renamed).toContain('摘要已发送到 1 个订阅的聊天：论坛观察群。');
    expect(await readFile(target, 'utf8')).toBe(earlier);
    expect(holder.current.corpus.documents.get(`${NEW_ARTICLE.file}-2`)?.title).toBe(other.title);
    await rm(path.join(corpus.seedsDir, `${NEW_ARTICLE.file}-2.md`));

    bot.fake.sendDocument({ chatId: ADMIN, fileName: `${NEW_ARTICLE.file}.md`, content: articleFile(newVersion), caption: 'replace' });
    const replaced = await reportAfter(ADMIN, count + 6);
    expect(replaced).toContain(`Updated “${NEW_ARTICLE.title}” (${NEW_ARTICLE.date}), replacing the earlier ${NEW_ARTICLE.file}.md.`);
    expect(await readFile(target, 'utf8')).toBe(articleFile(newVersion));
    expect(holder.current.corpus.documents.has(`${NEW_ARTICLE.file}-2`)).toBe(false);
  }, 30_000);

  it('from someone who is not an admin: a short polite answer, nothing downloaded or saved', async () => {
    const before = await seedFiles();
    const getFiles = bot.fake.callsOf('getFile').length;
    bot.fake.sendDocument({ chatId: STRANGER, fileName: 'my-article.txt', content: articleFile({ ...NEW_ARTICLE, file: 'x' }) });
    await waitForReplies(bot.fake, STRANGER, 1);
    expect(replies(bot.fake, STRANGER).map((message) => message.plainText)).toEqual([
      "Thanks! Only the bot's admins can add articles. To ask a question, just send it as text.",
    ]);
    expect(bot.fake.callsOf('getFile')).toHaveLength(getFiles);
    expect(await seedFiles()).toEqual(before);
  });

  it('a bad file is refused with the reason in words, in the admin’s language, and nothing is saved', async () => {
    const before = await seedFiles();
    const generation = holder.generation;
    const count = replies(bot.fake, ADMIN).length;
    bot.fake.sendDocument({ chatId: ADMIN, fileName: 'photo.txt', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
    expect(await reportAfter(ADMIN, count + 2)).toBe('This file was not added: this is a binary file, not text. Nothing was saved.');

    // GB18030 bytes from an admin whose Telegram is in Chinese.
    const gbk = new Uint8Array([0xb1, 0xb1, 0xbe, 0xa9, 0xca, 0xd0, 0xd5, 0xfe, 0xd0, 0xad]); // 北京市政协
    bot.fake.sendDocument({ chatId: ADMIN, fileName: '政协报道.txt', content: Buffer.from(gbk), languageCode: 'zh-hans' });
    expect(await reportAfter(ADMIN, count + 4)).toMatch(/^这个文件没有收录：文件不是 UTF-8 编码（看起来是 GBK\/GB18030）/);

    // A saved page with nothing but its chrome (navigation, copyright, share bar): no article in it.
    const chrome = ['首页 | 新闻 | 政协 | 视频', '版权所有 © 2026 新京报 京ICP备12345678号', '分享到： 微信 微博 QQ'].join('\n');
    bot.fake.sendDocument({ chatId: ADMIN, fileName: 'page.txt', content: chrome, languageCode: 'zh-hans' });
    expect(await reportAfter(ADMIN, count + 6)).toBe('这个文件没有收录：去掉导航、分享栏、版权声明等网页内容后没有剩下正文。没有保存任何内容。');

    bot.fake.sendDocument({ chatId: ADMIN, fileName: 'report.pdf', content: '%PDF-1.7', mimeType: 'application/pdf' });
    expect(await reportAfter(ADMIN, count + 7)).toBe('Only .txt, .md, .html, .htm article files (text or saved web pages) can be added; this is “report.pdf”. Nothing was saved.');

    bot.fake.sendDocument({ chatId: ADMIN, fileName: 'huge.txt', content: '北京', fileSize: 3 * 1024 * 1024 });
    expect(await reportAfter(ADMIN, count + 8)).toBe('The file is larger than an article can be (2 MiB). Nothing was saved.');

    expect(await seedFiles()).toEqual(before);
    expect(holder.generation).toBe(generation);
  }, 20_000);
});

describe('/reindex', () => {
  it('in Chinese: names the new and removed articles by title, says which chats got the digest, no English or paths', async () => {
    const added = { ...NEW_ARTICLE, file: '008_later_forum', title: '市政协专题协商会：委员建言社区养老', date: '2026-03-12' };
    await writeFile(path.join(corpus.seedsDir, `${added.file}.txt`), articleFile(added));
    const removed = holder.current.corpus.documents.get(NEW_ARTICLE.file)!;
    await rm(path.join(corpus.seedsDir, `${NEW_ARTICLE.file}.md`));
    const posts = postsTo(bot.fake, GROUP).length;

    commandAs(ADMIN, '/reindex', 'zh-hans');
    const count = replies(bot.fake, ADMIN).length;
    const report = await reportAfter(ADMIN, count + 2);
    expect(replies(bot.fake, ADMIN)[count]!.plainText).toBe('正在重建索引，期间照常回答问题…');
    expect(report).toContain(`索引已更新，共 ${holder.current.corpus.documents.size} 篇报道。`);
    expect(report).toContain(`新增：《${added.title}》（2026年3月12日）`);
    expect(report).toContain(`移除：《${removed.title}》（2026年3月10日）`);
    expect(report).toContain('摘要已发送到 1 个订阅的聊天：论坛观察群。');
    expect(report).not.toMatch(/[A-Za-z]|\//);
    expect(postsTo(bot.fake, GROUP)).toHaveLength(posts + 1);

    // Again, with nothing to do.
    commandAs(ADMIN, '/reindex', 'zh-hans');
    expect(await reportAfter(ADMIN, count + 4)).toBe(`索引已是最新（共 ${holder.current.corpus.documents.size} 篇报道），没有新增、更新或移除的报道。`);
  }, 30_000);
});
