// Faults of the link to Telegram, against the real bot long-polling the fake Bot API over real
// sockets: a stalled poll, an outage, lost and stalled replies, 429 storms, 5xx bursts, webhook
// redeliveries. For each: what the user sees (nothing lost, nothing twice) and what the log says.
// Timeouts and backoffs are shortened through the bot's own settings so no test waits long.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { withoutServerPaths } from '../../src/telegram/main.js';
import { createBot, type BotDeps } from '../../src/telegram/bot.js';
import { Inflight } from '../../src/telegram/inflight.js';
import { UndeliveredNotices } from '../../src/telegram/notices.js';
import { registerCommands, startPolling, type RunningBot } from '../../src/telegram/run.js';
import { TEXTS } from '../../src/telegram/texts.js';
import { startWebhook } from '../../src/telegram/webhook.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { buildTestIndex, replies, SEEDS, TOKEN, waitForReplies } from './helpers.js';

const QUESTION = '黄宇红建议把哪个平台升级为国家级中试平台?';
const PLATFORM = '新一代移动信息网络技术产业中试平台';
const LOST = TEXTS.zh.answerLost('').split('“')[0]!; // "抱歉，刚才与 Telegram 的连接出了问题，我对"
const UNCERTAIN = TEXTS.zh.answerUncertain('').split('“')[0]!;

let index: ForumIndex;
let directory: string;
let cleanup: () => Promise<void>;
let fake: FakeTelegram;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => ({ index, directory, cleanup } = await buildTestIndex()), 30_000);
afterAll(() => cleanup());
beforeEach(async () => {
  fake = await startFakeTelegram({ username: 'test_bot' });
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await fake.close();
});

interface LinkBot {
  running: RunningBot;
  inflight: Inflight;
  logs: string[];
}

/** The bot with a 1 s long poll, 1 s request timeout and short backoffs (the production code paths, shorter waits). */
async function startBot(deps: Partial<BotDeps> = {}): Promise<LinkBot> {
  const logs: string[] = [];
  const log = (line: string) => void logs.push(line);
  const inflight = new Inflight();
  const notices = new UndeliveredNotices({ log, retryMs: 200 });
  const bot = createBot({
    token: TOKEN,
    apiRoot: fake.apiRoot,
    index: () => index,
    throttle: false,
    inflight,
    notices,
    log,
    rateLimit: { questions: 0, windowSeconds: 60 },
    retry: { backoffMs: 50, maxBackoffMs: 200 },
    requestTimeoutSeconds: 1,
    ...deps,
  });
  const running = await startPolling(bot, { inflight, log, pollTimeoutSeconds: 1 });
  stops.push(async () => {
    await running.stop();
    await notices.stop(0);
    await inflight.drain(1000);
  });
  return { running, inflight, logs };
}

const texts = (chatId: number) => replies(fake, chatId).map((message) => message.plainText);
const answersIn = (chatId: number) => texts(chatId).filter((text) => text.includes(PLATFORM));
const matching = (logs: string[], pattern: RegExp) => logs.filter((line) => pattern.test(line));

describe('receiving updates', () => {
  it('a stalled long poll is abandoned a second past its timeout, logged, and the question answered', async () => {
    fake.stall('getUpdates'); // the bot's first poll never gets an answer
    const started = Date.now();
    const { logs } = await startBot();
    fake.sendText({ chatId: 11, text: QUESTION });
    await waitForReplies(fake, 11, 1, 6000);
    expect(Date.now() - started).toBeLessThan(4000); // 1 s poll + 1 s grace, then a new poll
    expect(answersIn(11)).toHaveLength(1);
    expect(matching(logs, /^Fetching updates from Telegram failed \(Telegram did not answer getUpdates within 2 s\)/)).toHaveLength(1);
    expect(matching(logs, /^Fetching updates works again/)).toHaveLength(1);
  });

  it('an outage: one line when it starts, one when it ends, and the question sent meanwhile is answered within seconds', async () => {
    const { logs } = await startBot();
    await fake.goDown(); // connections refused, the poll under way cut
    fake.sendText({ chatId: 12, text: QUESTION }); // Telegram keeps it
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const attemptsWhileDown = logs.length;
    await fake.comeBack();
    const back = Date.now();
    await waitForReplies(fake, 12, 1, 6000);
    expect(Date.now() - back).toBeLessThan(3500); // retries stay at most 3 s apart
    expect(answersIn(12)).toHaveLength(1);
    expect(attemptsWhileDown).toBe(1); // several failed attempts, one line
    expect(matching(logs, /^Fetching updates from Telegram failed \(.*(ECONNRESET|ECONNREFUSED|socket hang up)/)).toHaveLength(1);
    expect(matching(logs, /^Fetching updates works again, after [0-9.]+ s and [2-9]\d* failed attempt/)).toHaveLength(1);
  });
});

describe('sending answers', () => {
  it('a sendMessage whose reply is lost is not sent again; the user is told it may not have arrived', async () => {
    const { logs } = await startBot();
    fake.loseResponse('sendMessage'); // Telegram posts the answer, the bot never hears back
    fake.sendText({ chatId: 21, text: QUESTION });
    await waitForReplies(fake, 21, 2);
    await new Promise((resolve) => setTimeout(resolve, 500)); // nothing more comes
    expect(answersIn(21)).toHaveLength(1); // before: 2 (auto-retry re-sent it)
    expect(texts(21)).toHaveLength(2);
    expect(texts(21)[1]).toMatch(new RegExp(`^${UNCERTAIN}“黄宇红建议`));
    expect(fake.callsOf('sendMessage')).toHaveLength(2);
    expect(matching(logs, /could not be delivered \(Telegram did not confirm sendMessage/)).toHaveLength(1);
  });

  it('a reply that never comes holds the chat for the request timeout only: the next question is answered', async () => {
    await startBot();
    fake.stall('sendMessage');
    fake.sendText({ chatId: 22, text: QUESTION });
    fake.sendText({ chatId: 22, text: QUESTION });
    await fake.waitFor(() => answersIn(22).length >= 1 && texts(22).some((text) => text.startsWith(UNCERTAIN)), 6000);
    // The stalled answer (not in the chat), the notice, the second answer: three calls, no re-send.
    expect(fake.callsOf('sendMessage')).toHaveLength(3);
    expect(answersIn(22)).toHaveLength(1);
  });

  it('a 429 storm outlasting the retries: the answer is not dropped silently — the user is told once Telegram accepts messages', async () => {
    const { logs } = await startBot({ retry: { attempts: 1, backoffMs: 50, maxBackoffMs: 200 } });
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, 2);
    fake.sendText({ chatId: 23, text: QUESTION });
    await waitForReplies(fake, 23, 1, 8000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(texts(23)).toHaveLength(1);
    expect(texts(23)[0]).toMatch(new RegExp(`^${LOST}“黄宇红建议把哪个平台升级为国家级中试平台\\?”`));
    expect(matching(logs, /^The answer in chat 23 could not be delivered \(.*429/)).toHaveLength(1);
    expect(matching(logs, /^Told chat 23 that its answer was lost/)).toHaveLength(1);
    expect(texts(23).some((text) => text.includes('出错了'))).toBe(false); // no apology that would have failed too
  });

  it('a retry_after longer than the bot waits: not waited out, and the notice comes only after it', async () => {
    await startBot({ retry: { maxRetryAfterSeconds: 1, backoffMs: 50, maxBackoffMs: 200 } });
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } }, 1);
    fake.sendText({ chatId: 24, text: QUESTION });
    await waitForReplies(fake, 24, 1, 6000);
    const [refused, notice] = fake.callsOf('sendMessage');
    expect(notice!.at - refused!.at).toBeGreaterThanOrEqual(2000);
    expect(texts(24)).toEqual([expect.stringMatching(new RegExp(`^${LOST}`))]);
  });

  it('four 5xx in a row: retried, then the user is told; a later question is answered normally', async () => {
    await startBot();
    fake.fail('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 4);
    fake.sendText({ chatId: 25, text: QUESTION });
    await waitForReplies(fake, 25, 1, 6000);
    expect(texts(25)[0]).toMatch(new RegExp(`^${LOST}`));
    fake.sendText({ chatId: 25, text: QUESTION });
    await waitForReplies(fake, 25, 2);
    expect(answersIn(25)).toHaveLength(1);
  });
});

describe('shutdown', () => {
  it('an unfinished question before an answered one is told to ask again; one queued after it stays unconfirmed for the next start', async () => {
    const first = await startBot({ requestTimeoutSeconds: 30 });
    const slow = -100501;
    fake.stall('sendMessage'); // update 1's answer: Telegram never replies
    const stalled = fake.sendText({ chatId: slow, chatType: 'supergroup', text: `/ask ${QUESTION}` });
    await fake.waitFor((calls) => calls.some((call) => call.method === 'sendMessage' && call.params.chat_id === slow));
    fake.sendText({ chatId: 31, text: QUESTION }); // update 2: answered
    await waitForReplies(fake, 31, 1);
    const queued = fake.sendText({ chatId: slow, chatType: 'supergroup', text: `/ask ${QUESTION}` }); // update 3: queued behind update 1
    // Wait for exactly updates 1 and 3, not for "two unfinished": update 2's answer reaching Telegram
    // does not mean its handler has returned, and on a loaded machine 1 and 2 were the two (2 then
    // counted as cut short and update 3 was not fetched yet: told 2, kept 0).
    const unfinishedIds = () => first.inflight.unfinished().map((ctx) => ctx.update.update_id);
    await fake.waitFor(() => unfinishedIds().join() === [stalled.update_id, queued.update_id].join());

    // What shutdown does once it stops waiting.
    await first.running.stop();
    first.inflight.close();
    expect(await first.running.finish()).toEqual({ told: 1, kept: 1 });
    // Update 1 cannot stay unconfirmed (confirming update 2 confirms it): its user is told.
    expect(texts(slow)).toEqual([TEXTS.zh.restarting]);

    // The next start gets update 3 from Telegram, never update 2 again, and answers it.
    await startBot();
    await fake.waitFor(() => answersIn(slow).length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answersIn(slow)).toHaveLength(1);
    expect(answersIn(31)).toHaveLength(1);
  });
});

describe('webhook', () => {
  it('a redelivered update is answered once; null, an array or no update_id get 400 without an unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (error: unknown) => void rejections.push(error);
    process.on('unhandledRejection', onRejection);
    const logs: string[] = [];
    const bot = createBot({ token: TOKEN, apiRoot: fake.apiRoot, index: () => index, throttle: false, log: (line) => void logs.push(line) });
    const hook = await startWebhook(bot, { url: 'https://bot.example.org/hook', path: '/hook', host: '127.0.0.1', port: 0, secret: 's', log: (line) => void logs.push(line) });
    stops.push(() => hook.stop());
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${hook.port}/hook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 's' }, body });
    const update = fake.sendText({ chatId: 41, text: QUESTION });
    try {
      expect((await post(JSON.stringify(update))).status).toBe(200);
      expect((await post(JSON.stringify(update))).status).toBe(200); // Telegram did not get the first 200 in time
      for (const body of ['null', '[]', '42', '{"message":{}}', '{"update_id":"7"}', 'not json']) expect((await post(body)).status).toBe(400);
      await waitForReplies(fake, 41, 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answersIn(41)).toHaveLength(1); // before: 2
      expect(matching(logs, new RegExp(`^Update ${update.update_id} was delivered again by Telegram`))).toHaveLength(1);
      expect(rejections).toEqual([]); // before: one for the null body
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});

describe('the bot profile', () => {
  it('sets the description and short description in Chinese by default and in English; a failure is logged, not fatal', async () => {
    const logs: string[] = [];
    const bot = createBot({ token: TOKEN, apiRoot: fake.apiRoot, index: () => index, throttle: false, retry: { attempts: 0 }, log: () => undefined });
    await bot.init();
    await registerCommands(bot, [], (line) => void logs.push(line));
    expect(fake.botText('description')).toBe(TEXTS.zh.botDescription);
    expect(fake.botText('description', 'en')).toBe(TEXTS.en.botDescription);
    expect(fake.botText('short_description')).toBe(TEXTS.zh.botShortDescription);
    expect(fake.botText('short_description', 'en')).toBe(TEXTS.en.botShortDescription);
    expect(logs).toEqual([]);

    fake.fail('setMyShortDescription', { error_code: 400, description: 'Bad Request: short description is too long' });
    await registerCommands(bot, [], (line) => void logs.push(line));
    expect(logs).toEqual([expect.stringMatching(/^Could not set the bot's short description \(default\): .*too long/)]);
    expect(fake.callsOf('setMyCommands').length).toBe(4); // the rest still set
  });
});

describe('/reindex failures posted in a chat', () => {
  it('name no server folder (index, seeds, working directory); other text is untouched', () => {
    const config = loadConfig({ INDEX_DIR: directory, SEEDS_DIR: SEEDS, EMBEDDER: 'lexical' });
    const failure = `ENOENT: no such file or directory, open '${path.join(directory, 'gen-3', 'vectors.f32')}' (seeds in ${SEEDS}/, run from ${process.cwd()})`;
    expect(withoutServerPaths(failure, config)).toBe("ENOENT: no such file or directory, open 'the index folder/gen-3/vectors.f32' (seeds in the seeds folder/, run from .)");
    const relative = loadConfig({ INDEX_DIR: 'embeddings', SEEDS_DIR: 'seeds', EMBEDDER: 'lexical' });
    expect(withoutServerPaths('embeddings/manifest.json names another embedder', relative)).toBe('the index folder/manifest.json names another embedder');
    expect(withoutServerPaths('the embeddings do not match; re-run ingest', relative)).toBe('the embeddings do not match; re-run ingest');
  });
});
