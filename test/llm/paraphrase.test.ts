// Faithful paraphrases that content verification must keep, and the errors next to them it must
// still remove: end to end, the real asker over the seeds index and a local OpenAI-wire server
// writing each reply from the prompt it receives.
import { describe, expect, it } from 'vitest';
import { llmAsker, passageNumber, scripted, useSeedIndexAndModel } from './helpers.js';

const suite = useSeedIndexAndModel('llm-paraphrase-');

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

  it('keeps a sentence that refers back with a demonstrative (这项制度) instead of repeating the name', async () => {
    reply((cite) => `褚潇炜提议建立央市区三级科技产业部门协商机制${cite('部门协商机制')}。这项制度着眼于重要领域关键问题的会商${cite('部门协商机制')}。`);
    const trace = await ask('褚潇炜提议建立什么机制?');
    expect(trace.dropped).toEqual([]);
    expect(trace.answer).toContain('这项制度');
  });
});
