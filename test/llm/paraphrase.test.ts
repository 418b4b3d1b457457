// Faithful paraphrases that content verification must keep, and the errors next to them it must
// still remove: end to end, the real asker over the seeds index and a local OpenAI-wire server
// writing each reply from the prompt it receives.
import { describe, expect, it } from 'vitest';
import { llmAsker, passageNumber, scripted, useSeedIndexAndModel } from './helpers.js';

const suite = useSeedIndexAndModel();

/** The model's reply, written from the prompt: `cite(text)` is the [n] of the passage holding text. */
const reply = (write: (cite: (text: string) => string) => string) =>
  suite.fake.setChatHandler(scripted((body) => write((text) => `[${passageNumber(body, text)}]`)));

const ask = (question: string) => llmAsker(suite.index, suite.fake)(question);

describe('a correction of the question’s premise', () => {
  const QUESTION = '顾行发是不是说过，我国人工智能的风险投资金额排在全球第一?';

  it('keeps the sentence denying the question’s number, and the number the passage states', async () => {
    reply((cite) => `不对，顾行发并未说这几项指标位列全球第一${cite('风险投资金额')}。他说风险投资金额等均位列全球第二${cite('风险投资金额')}。`);
    const trace = await ask(QUESTION);
    expect(trace.dropped).toEqual([]);
    expect(trace.answer).toContain('并未说');
    expect(trace.answer).toContain('全球第二');
  });

  it('still drops the question’s wrong number stated as the answer', async () => {
    reply((cite) => `是的，顾行发说风险投资金额位列全球第一${cite('风险投资金额')}。他还说人工智能开源生态体系尚未形成${cite('风险投资金额')}。`);
    const trace = await ask(QUESTION);
    expect(trace.answer).not.toContain('第一');
    expect(trace.answer).toContain('开源生态');
  });
});

describe('wording a paraphrase is free to change', () => {
  it('keeps a sentence that swaps the report’s idiom for another (备受鼓舞 → 信心倍增)', async () => {
    reply((cite) => `王磊说，听取政府工作报告后他信心倍增${cite('备受鼓舞')}。`);
    const trace = await ask('王磊听完政府工作报告有什么感受?');
    expect(trace.mode).toBe('llm');
    expect(trace.dropped).toEqual([]);
    expect(trace.answer).toContain('信心倍增');
  });

  it('keeps a sentence that refers back with a demonstrative (这项设想) instead of repeating the name', async () => {
    reply((cite) => `褚潇炜提议建立央市区三级科技产业部门协商机制${cite('部门协商机制')}。这项设想着眼于关键问题${cite('部门协商机制')}。`);
    const trace = await ask('褚潇炜提议建立什么机制?');
    expect(trace.dropped).toEqual([]);
    expect(trace.answer).toContain('这项设想');
  });
});

describe('English answers', () => {
  const QUESTION = 'How does Huang Yuhong rate Beijing in 6G and AI, and what does she want from the Beijing 6G Lab?';

  it('keep connectives, adverbs and glossed Chinese terms from counting as unsupported', async () => {
    reply(
      (cite) =>
        `Huang Yuhong (黄宇红) said Beijing ranks among the leaders nationally, and globally too, in 6G and AI innovation${cite('乃至全球前列')}. ` +
        `Even so, she sees bottlenecks in top-level planning coordination (顶层规划联动) over the course of development${cite('乃至全球前列')}. ` +
        `She wants the lab (北京6G实验室) to anchor a practice base for excellent engineers in information and communications${cite('北京6G实验室')}.`,
    );
    const trace = await ask(QUESTION);
    expect(trace.dropped).toEqual([]);
    expect(trace.answer).toContain('among the leaders');
    expect(trace.answer).toContain('顶层规划联动');
    expect(trace.answer).toContain('information and communications');
  });

  it('still drop an invented claim that carries a real glossed term', async () => {
    reply(
      (cite) =>
        `She wants the lab (北京6G实验室) to anchor a practice base for excellent engineers${cite('北京6G实验室')}. ` +
        `She also wants the lab (北京6G实验室) to sell its patents to overseas buyers and open a branch abroad${cite('北京6G实验室')}.`,
    );
    const trace = await ask(QUESTION);
    expect(trace.answer).toContain('practice base');
    expect(trace.answer).not.toMatch(/patents|abroad/);
  });
});

describe('a sentence reporting a proposal', () => {
  const QUESTION = '马光辉对个体化肿瘤治疗药物提了什么建议?';
  const TRUE = (cite: (text: string) => string) => `马光辉建议北京市开展调研和协商、优化政策，让最新成果进入医院${cite('推动最新成果进医院')}。`;

  it('keeps a faithful proposal whose verbs are paraphrased', async () => {
    reply(TRUE);
    const trace = await ask(QUESTION);
    expect(trace.dropped).toEqual([]);
    expect(trace.answer).toContain('进入医院');
  });

  it('drops an invented proposal made of new actions around the passage’s own nouns', async () => {
    reply((cite) => `${TRUE(cite)}她还建议医院优先采购并加快审批这些药物${cite('推动最新成果进医院')}。`);
    const trace = await ask(QUESTION);
    expect(trace.answer).toContain('进入医院');
    expect(trace.answer).not.toMatch(/采购|审批/);
  });

  it('in English, drops a proposal whose words nothing in the articles translates', async () => {
    reply(
      (cite) =>
        `Ma Guanghui (马光辉) suggested that Beijing study the matter and optimise policies so that the latest results reach hospitals${cite('推动最新成果进医院')}. ` +
        `She also suggested that hospitals hand out these drugs free of charge${cite('推动最新成果进医院')}.`,
    );
    const trace = await ask("What did Ma Guanghui propose for Beijing's tumour drugs?");
    expect(trace.answer).toContain('reach hospitals');
    expect(trace.answer).not.toMatch(/free of charge/);
  });
});
