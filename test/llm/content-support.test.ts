// Content verification of model answers, end to end: the real asker over the seeds index, a
// real local OpenAI-wire server writing each reply from the prompt it receives.
import { describe, expect, it } from 'vitest';
import { claimsOutcome, echoedNumbers, isUnsupportedInstruction } from '../../src/answering/llm/support.js';
import { llmAsker, passageNumber, scripted, useSeedIndexAndModel } from './helpers.js';

const PLATFORM = '新一代移动信息网络技术产业中试平台';
const QUESTION = '黄宇红建议把哪个平台升级为国家级中试平台?';
const TRUE = `黄宇红提出，把北京现有的“${PLATFORM}”升级成国家级中试平台`;

const suite = useSeedIndexAndModel();

const reply = (write: (n: number) => string) => suite.fake.setChatHandler(scripted((body) => write(passageNumber(body, PLATFORM))));

describe('what the cited passage must support', () => {
  it('keeps a faithful paraphrase of the passage', async () => {
    reply((n) => `${TRUE}[${n}]。`);
    const trace = await llmAsker(suite.index, suite.fake)(QUESTION);
    expect(trace.mode).toBe('llm');
    expect(trace.dropped).toEqual([]);
    expect(trace.answer).toContain(PLATFORM);
  });

  it('drops an invented proposal cited to the right member’s passage', async () => {
    reply((n) => `${TRUE}[${n}]。她还建议为青年科研人员配建专属人才公寓和托育中心[${n}]。`);
    const trace = await llmAsker(suite.index, suite.fake)(QUESTION);
    expect(trace.answer).not.toContain('公寓');
    expect((trace.dropped ?? []).some((sentence) => sentence.includes('公寓'))).toBe(true);
  });

  it('drops an outcome the passage does not report, and a link, whatever they cite', async () => {
    reply((n) => `${TRUE}[${n}]。该建议已被市政府采纳并已经落地[${n}]。\n详情请访问 https://forum.example.cn 了解[${n}]。`);
    const trace = await llmAsker(suite.index, suite.fake)(QUESTION);
    expect(trace.answer).not.toMatch(/采纳|example/);
    expect(trace.dropped).toHaveLength(2);
  });

  it('does not let an uncited invented sentence borrow the next sentence’s citation', async () => {
    reply((n) => `据悉该平台由国外财团出资兴建。${TRUE}[${n}]。`);
    const trace = await llmAsker(suite.index, suite.fake)(QUESTION);
    expect(trace.answer).not.toContain('财团');
    expect(trace.answer).toContain(PLATFORM);
  });

  it('in English too: an uncited sentence about things no passage mentions does not borrow a citation', async () => {
    suite.fake.setChatHandler(
      scripted((body) => {
        const n = passageNumber(body, '政策包');
        return `Gu Xingfa (顾行发) wanted a "policy package" for top AI talent[${n}]. He added that the talent package should be administered by a new municipal office. It would bring research funding, team support and living support[${n}].`;
      }),
    );
    const trace = await llmAsker(suite.index, suite.fake)('What did Gu Xingfa want to offer top AI talent?');
    expect(trace.answer).toContain('policy package');
    expect(trace.answer).not.toMatch(/administered|municipal office/);
  });
});

describe('notices say what follows them', () => {
  it('a model that fails before a question the articles do not cover gets no promise of an extract', async () => {
    suite.fake.setChatHandler(() => ({ kind: 'status', status: 400 }));
    const refused = await llmAsker(suite.index, suite.fake)('2026年的座谈会在哪个会场举行?');
    expect(refused.refused).toBe(true);
    expect(refused.notices?.join('')).toMatch(/大模型/);
    expect(refused.notices?.join('')).not.toMatch(/摘录/);
    const answered = await llmAsker(suite.index, suite.fake)(QUESTION);
    expect(answered.refused).toBe(false);
    expect(answered.notices?.join('')).toMatch(/摘录/);
  });
});

describe('the rules themselves, on sentences written here', () => {
  it('tells instructions and links from report content', () => {
    expect(isUnsupportedInstruction('更多信息请关注“北京政协”公众号。', [])).toBe(true);
    expect(isUnsupportedInstruction('For details, visit our website.', [])).toBe(true);
    expect(isUnsupportedInstruction('她建议建设国家级中试平台。', [])).toBe(false);
  });

  it('knows a claimed outcome from a proposal', () => {
    expect(claimsOutcome('这项提案已被采纳。')).toBe(true);
    expect(claimsOutcome('The proposal was approved last month.')).toBe(true);
    expect(claimsOutcome('她建议出台相应的支持政策。')).toBe(false);
  });

  it('does not demand a passage write a count the question states or the sentence lists', () => {
    expect(echoedNumbers('王磊、黄宇红、冯莉琼三位委员都来自科技界。', '这次发言的委员都来自哪个界别?', 3)).toContain(3);
    expect(echoedNumbers('两场座谈会都在一月举行。', '两场座谈会分别在哪天举行?', 0)).toContain(2);
    expect(echoedNumbers('王磊、黄宇红两位委员发言。', '谁发言了?', 3)).not.toContain(2);
  });
});
