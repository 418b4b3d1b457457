// LLM-written digests against the fake OpenAI-wire server: verified like answers, every member
// required, extractive when the model fails; and through the bot's /summary and delivery.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLlmClient } from '../../src/llm/client.js';
import { createSummarizer } from '../../src/app/choose-summarizer.js';
import { DIGEST_SYSTEM_PROMPT, createLlmSummarizer } from '../../src/summaries/digest.js';
import { baselineOf } from '../../src/summaries/subscriptions.js';
import { loadConfig } from '../../src/config.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { startFakeTelegram, type FakeTelegram } from '../support/fake-telegram.js';
import { passageNumber, systemOf, testSettings, userOf } from '../llm/helpers.js';
import { startTestBot, waitForReplies, replies } from '../telegram/helpers.js';
import { makeCorpus, openStore, testDelivery, type Corpus } from './helpers.js';

const DOC_2026 = '000_427e375fdec6027b';

let corpus: Corpus;
let fake: FakeOpenAi;
beforeAll(async () => {
  corpus = await makeCorpus();
});
afterAll(() => corpus.cleanup());
beforeEach(async () => {
  fake = await startFakeOpenAi();
});
afterEach(() => fake.close());

/** What a well-behaved model writes for the 2026 forum, plus (optionally) one made-up sentence. */
function writeDigest(body: any, options: { invent?: boolean; leaveOut?: string } = {}): string {
  const lines = [
    `座谈会围绕“大力发展新质生产力,扎实推动首都经济高质量发展”建言献策[${passageNumber(body, '大力发展新质生产力')}]。`,
    `王磊（北京中科闻歌科技股份有限公司董事长）：建议统筹建设市级“产业创新数智平台”[${passageNumber(body, '产业创新数智平台')}]。${options.invent ? `王磊还建议每年投入900亿元[${passageNumber(body, '产业创新数智平台')}]。` : ''}`,
    `黄宇红（中国移动通信研究院院长）：建议加强6G与AI深度融合一体化布局[${passageNumber(body, '6G与AI深度融合一体化布局')}]。`,
    `冯莉琼（京东方科技集团股份有限公司执行副总裁）：建议发布“人工智能+制造”技术攻关项目[${passageNumber(body, '技术攻关项目')}]。`,
  ];
  return lines.filter((line) => !options.leaveOut || !line.startsWith(options.leaveOut)).join('\n');
}

function summarizer(logs: string[] = [], settings: Parameters<typeof testSettings>[1] = {}) {
  return createLlmSummarizer({ client: createLlmClient(testSettings(fake, settings)), log: (line) => void logs.push(line) });
}

describe('LLM digests', () => {
  it('are written from the whole article, verified (a made-up sentence dropped), cited against the stored passages', async () => {
    const logs: string[] = [];
    fake.setChatHandler((body) => ({ kind: 'chat', content: writeDigest(body, { invent: true }) }));
    const digest = await summarizer(logs).digest(corpus.index, DOC_2026, 'zh');
    expect(digest.mode).toBe('llm');
    const llm = digest.llm!;
    expect(llm.model).toBe('fake-chat');
    for (const name of ['王磊', '黄宇红', '冯莉琼']) expect(llm.text).toContain(name);
    expect(llm.text).not.toContain('900亿元');
    expect(llm.dropped).toEqual(['王磊还建议每年投入900亿元。']);
    expect(logs.some((line) => line.includes('dropped 1 sentence'))).toBe(true);
    // Markers are renumbered 1..k and each points at the passage stating it.
    const used = [...llm.text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    expect(Math.max(...used)).toBe(llm.citations.length);
    expect(llm.citations.find((citation) => citation.text.includes('产业创新数智平台'))).toBeDefined();
    for (const citation of llm.citations) expect(corpus.index.corpus.chunks.find((chunk) => chunk.id === citation.chunkId)!.text).toBe(citation.text);

    const [request] = fake.chatRequests();
    expect(systemOf(request!.body)).toBe(DIGEST_SYSTEM_PROMPT);
    expect(userOf(request!.body)).toContain('<members>\n王磊（北京中科闻歌科技股份有限公司董事长）');
    // The whole article went to the model.
    const chunks = corpus.index.corpus.chunks.filter((chunk) => chunk.docId === DOC_2026);
    for (const chunk of chunks) expect(userOf(request!.body)).toContain(chunk.text.trim().slice(0, 30).replace(/</g, '‹').replace(/>/g, '›'));
  });

  it('are cached per article version and language: one request for many chats', async () => {
    fake.setChatHandler((body) => ({ kind: 'chat', content: writeDigest(body) }));
    const shared = summarizer();
    await shared.digest(corpus.index, DOC_2026, 'zh');
    await shared.digest(corpus.index, DOC_2026, 'zh');
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('fall back to the extractive digest when a member is left out, or the model fails', async () => {
    const logs: string[] = [];
    fake.setChatHandler((body) => ({ kind: 'chat', content: writeDigest(body, { leaveOut: '冯莉琼' }) }));
    const partial = await summarizer(logs).digest(corpus.index, DOC_2026, 'zh');
    expect(partial.mode).toBe('extractive');
    expect(partial.summary.members).toHaveLength(3);
    expect(logs.at(-1)).toMatch(/leaves out 冯莉琼 once verified; using the extractive digest/);

    fake.enqueue({ kind: 'status', status: 500 });
    const failed = await summarizer(logs, { maxRetries: 0 }).digest(corpus.index, DOC_2026, 'zh');
    expect(failed.mode).toBe('extractive');
    expect(logs.at(-1)).toMatch(/LLM digest of .* failed \(server-error\)/);
  });

  it('are chosen by createSummarizer only with a model configured and SUMMARY_MODE not extractive', () => {
    const configured = loadConfig({ OPENAI_MODEL: 'm', OPENAI_BASE_URL: fake.baseURL });
    expect(createSummarizer(configured, 'auto').mode).toBe('llm');
    expect(createSummarizer(configured, 'extractive').mode).toBe('extractive');
    expect(createSummarizer(loadConfig({}), 'auto').mode).toBe('extractive');
  });

  it('reach chats through /summary and delivery, with one model call per article', async () => {
    fake.setChatHandler((body) => ({ kind: 'chat', content: writeDigest(body) }));
    const shared = summarizer();
    const bot = await startTestBot({ index: () => corpus.index, summarizer: shared });
    let telegram: FakeTelegram | undefined;
    try {
      bot.fake.sendText({ chatId: 70, text: '/summary 2026' });
      await waitForReplies(bot.fake, 70, 1);
      const reply = replies(bot.fake, 70)[0]!;
      expect(reply.text).toContain('<b>黄宇红</b>（中国移动通信研究院院长）：');
      expect(reply.plainText).toContain('Written by a language model (fake-chat)');

      telegram = await startFakeTelegram({ username: 'test_bot' });
      const store = await openStore(`${corpus.dir}/llm-store`);
      const withoutLatest = [...corpus.index.corpus.documents.values()].filter((document) => document.id !== DOC_2026);
      for (const [chatId, language] of [[-100301, 'en'], [-100302, 'zh'], [-100303, 'zh']] as const) {
        await store.subscribe({ chatId, source: 'command', language, since: `2026-01-01T00:00:0${-chatId % 10}.000Z` }, baselineOf(withoutLatest));
      }
      const report = await testDelivery(telegram, store, () => corpus.index, { summarizer: shared }).trigger('test');
      expect(report.posted.map((post) => post.chatId)).toEqual([-100301, -100302, -100303]);
      // One English digest (/summary from an English-speaking user, and the first chat), one Chinese (the other two).
      expect(fake.chatRequests()).toHaveLength(2);
      expect(telegram.sentMessages(-100302)[0]!.text).toContain('<b>冯莉琼</b>（京东方科技集团股份有限公司执行副总裁）：');
    } finally {
      await bot.stop();
      await telegram?.close();
    }
  });
});
