// The LLM composer through the real asker, the real index of the repo's seeds and a real local
// OpenAI-wire server: citations, verification, refusals and streaming.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { refusalText } from '../../src/answering/language.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.js';
import { sharedSeedIndex } from '../support/seed-index.js';
import { isAnswer, llmAsker, passageNumber, passagesOf, passageWithout, scripted, userOf } from './helpers.js';

const PLATFORM = '新一代移动信息网络技术产业中试平台';
const QUESTION = '黄宇红建议把哪个平台升级为国家级中试平台?';

let index: ForumIndex;
let fake: FakeOpenAi;

beforeAll(async () => {
  index = await sharedSeedIndex();
});
afterAll(() => index.close());
beforeEach(async () => {
  fake = await startFakeOpenAi();
});
afterEach(() => fake.close());

describe('LLM answers', () => {
  it('passes correct citations through, renumbered in order of use, with the stored passage as citation text', async () => {
    let cited = 0;
    fake.setChatHandler(
      scripted((body) => {
        cited = passageNumber(body, PLATFORM);
        return `黄宇红建议将北京现有“${PLATFORM}”升级建设为支持“6G+AI”融合开放的国家级中试平台[${cited}]。`;
      }),
    );
    const trace = await llmAsker(index, fake)(QUESTION);
    expect(trace.mode).toBe('llm');
    expect(trace.refused).toBe(false);
    expect(trace.answer).toBe(`黄宇红建议将北京现有“${PLATFORM}”升级建设为支持“6G+AI”融合开放的国家级中试平台[1]。`);
    expect(trace.citations).toHaveLength(1);
    expect(trace.citations[0]!.text).toContain(PLATFORM);
    expect(trace.citations[0]!.chunkId).toBe(trace.retrieved.find((chunk) => chunk.text.includes(PLATFORM))!.chunkId);
    expect(trace.dropped).toEqual([]);
    expect(trace.notices).toBeUndefined();
    // Non-streaming when nobody listens; the one request is the answer (no rewrite for a standalone Chinese question).
    expect(fake.chatRequests()).toHaveLength(1);
    expect(fake.chatRequests()[0]!.body).toMatchObject({ model: 'fake-chat', temperature: 0, max_tokens: 400 });
    expect(fake.chatRequests()[0]!.body.stream).toBeUndefined();
    expect(cited).toBeGreaterThan(0);
  });

  it('removes an invalid [7] marker (only 2 valid passages cited) and keeps the sentence with its valid citation', async () => {
    fake.setChatHandler(
      scripted((body) => {
        const n = passageNumber(body, PLATFORM);
        return `黄宇红建议升级“${PLATFORM}”[${n}][77]。这是国家级中试平台[99]。`;
      }),
    );
    const trace = await llmAsker(index, fake)(QUESTION);
    expect(trace.answer).not.toMatch(/\[(7|77|99)\]/);
    expect(trace.answer).toContain(`黄宇红建议升级“${PLATFORM}”[1]。`);
    // The sentence cited only to a passage that does not exist has no citation left: it is dropped.
    expect(trace.dropped).toEqual(['这是国家级中试平台。']);
    expect(trace.citations.map((c) => c.n)).toEqual([1]);
  });

  it('removes an invalid [7] when the prompt has fewer than seven passages', async () => {
    fake.setChatHandler(
      scripted((body) => {
        expect(passagesOf(body).size).toBeLessThan(7);
        const n = passageNumber(body, PLATFORM);
        return `黄宇红建议升级“${PLATFORM}”[${n}][7]。`;
      }),
    );
    const trace = await llmAsker(index, fake, { composer: { promptTokens: 700 } })(QUESTION);
    expect(trace.answer).toBe(`黄宇红建议升级“${PLATFORM}”[1]。`);
    expect(trace.citations).toHaveLength(1);
  });

  it('drops a claim whose number is in no passage, reports it, and keeps the rest', async () => {
    fake.setChatHandler(
      scripted((body) => {
        const n = passageNumber(body, '42次');
        return `“融合”一词被委员们提及了43次[${n}]。“融合”成为会议现场的高频词[${n}]。`;
      }),
    );
    const trace = await llmAsker(index, fake)('2026年的座谈会上“融合”一词被委员们提及了多少次?');
    expect(trace.dropped).toEqual(['“融合”一词被委员们提及了43次。']);
    expect(trace.answer).toBe('“融合”成为会议现场的高频词[1]。');
    expect(trace.mode).toBe('llm');
  });

  it('accepts 四十二 and ４２ for the passage’s 42, and a full date for the article’s 1月26日', async () => {
    fake.setChatHandler(
      scripted((body) => {
        const n = passageNumber(body, '42次');
        return `2026年1月26日的座谈会上，“融合”一词被提及了四十二次[${n}]。也就是４２次[${n}]。`;
      }),
    );
    const trace = await llmAsker(index, fake)('2026年的座谈会上“融合”一词被委员们提及了多少次?');
    expect(trace.dropped).toEqual([]);
    expect(trace.answer).toBe('2026年1月26日的座谈会上，“融合”一词被提及了四十二次[1]。也就是４２次[1]。');
  });

  it('re-cites a sentence whose number is in another passage than the one it cites', async () => {
    fake.setChatHandler(
      scripted((body) => {
        const wrong = passageWithout(body, '42');
        return `“融合”一词被提及了42次[${wrong}]。`;
      }),
    );
    const trace = await llmAsker(index, fake)('2026年的座谈会上“融合”一词被委员们提及了多少次?');
    expect(trace.answer).toBe('“融合”一词被提及了42次[1]。');
    expect(trace.citations[0]!.text).toContain('42次');
    expect(trace.dropped).toEqual([]);
  });

  it('maps the refusal marker to refused: true with the refusal in the question’s language', async () => {
    fake.setChatHandler(scripted(() => 'NO_ANSWER'));
    const zh = await llmAsker(index, fake)('2026年1月26日的专题座谈会是在哪个会场举行的?');
    expect(zh).toMatchObject({ refused: true, mode: 'llm', answer: refusalText('zh'), citations: [] });
    const en = await llmAsker(index, fake)('Which room was the 2026 forum held in?');
    expect(en).toMatchObject({ refused: true, answer: refusalText('en'), citations: [] });
  });

  it('falls back to the extractive answer with a notice when nothing verifiable is left', async () => {
    fake.setChatHandler(scripted(() => '黄宇红建议升级一个平台，投资500亿元。王磊表示同意。'));
    const trace = await llmAsker(index, fake)(QUESTION);
    expect(trace.mode).toBe('extractive');
    expect(trace.answer).toContain(PLATFORM);
    expect(trace.notices).toHaveLength(1);
    expect(trace.dropped).toHaveLength(2);
    for (const citation of trace.citations) expect(trace.answer).toContain(`[${citation.n}]`);
  });

  it('streams verified sentences only: what the final answer drops is never on screen', async () => {
    fake.setChatHandler((body) => {
      const n = passageNumber(body, PLATFORM);
      return {
        kind: 'chat',
        pieceSize: 3,
        content: `黄宇红建议将“${PLATFORM}”升级为国家级中试平台[${n}]。投资43亿元[${n}]。`,
      };
    });
    const seen: string[] = [];
    const trace = await llmAsker(index, fake)(QUESTION, { onText: (text) => seen.push(text) });
    expect(fake.chatRequests()[0]!.body.stream).toBe(true);
    // The first sentence is shown once it is complete and verified, cited, never half-written.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const text of seen) expect(text).not.toMatch(/[[【［][^\]】］]*$/);
    expect(seen[0]).toBe(`黄宇红建议将“${PLATFORM}”升级为国家级中试平台[1]。`);
    // The unsupported number the final answer drops was never shown.
    for (const text of seen) expect(text).not.toContain('43亿元');
    expect(trace.answer).toBe(`黄宇红建议将“${PLATFORM}”升级为国家级中试平台[1]。`);
    expect(trace.dropped).toEqual(['投资43亿元。']);
  });

  it('never streams the refusal marker, even in part', async () => {
    fake.setChatHandler(() => ({ kind: 'chat', content: 'NO_ANSWER', pieceSize: 2 }));
    const seen: string[] = [];
    const trace = await llmAsker(index, fake)('2026年1月26日的专题座谈会是在哪个会场举行的?', { onText: (text) => seen.push(text) });
    expect(seen).toEqual([]);
    expect(trace.refused).toBe(true);
  });

  it('puts the passages and the question inside the data tags, after the system rules', async () => {
    fake.setChatHandler(scripted(() => 'NO_ANSWER'));
    await llmAsker(index, fake)(QUESTION);
    const body = fake.chatRequests()[0]!.body;
    expect(isAnswer(body)).toBe(true);
    expect(body.messages.map((m: any) => m.role)).toEqual(['system', 'user']);
    const user = userOf(body);
    expect(user).toMatch(/^<passages>\n<passage n="1" [^]*<\/passages>\n\n<question>黄宇红建议把哪个平台升级为国家级中试平台\?<\/question>/);
    expect(user).toContain('Answer the question in Chinese');
  });
});
