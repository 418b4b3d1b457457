import { describe, expect, it } from 'vitest';
import { asksWho, countUnit, statesCount } from '../../src/answering/intent.js';
import { contentTerms, focusTerms } from '../../src/retrieval/query.js';

describe('what a question is about', () => {
  it('leaves counts in words and comparison words out of the topic', () => {
    expect(contentTerms('王磊说的“五链融合”是指哪五条链?')).not.toContain('五条');
    expect(contentTerms('褚潇炜建议建立哪几级科技产业部门的协商机制?')).not.toContain('几级');
    expect(contentTerms('2025年和2026年两场专题座谈会的主题各是什么?')).not.toEqual(expect.arrayContaining(['两场']));
    expect(contentTerms('2025年和2026年两场专题座谈会的主题各是什么?')).not.toContain('各是');
    // Digits are facts a question may name.
    expect(contentTerms('“融合”一词被提及了42次吗?')).toContain('42');
  });

  it('cuts a word jieba glued to a function character, keeping dictionary words whole', () => {
    const terms = contentTerms('2023年北京科技服务业前200家企业中有多少家是央企?');
    expect(terms).toContain('央企');
    expect(terms).not.toContain('家是央企');
    expect(focusTerms('2023年北京科技服务业前200家企业中有多少家是央企?')).toContain('央企');
    expect(contentTerms('北京卫蓝新能源科技有限公司的董事长是谁?')).toContain('有限公司');
  });

  it('takes the verb that ends the asked clause as a focus word too', () => {
    expect(focusTerms('2026年的专题座谈会由哪位市政协领导主持?')).toEqual(expect.arrayContaining(['主持']));
  });

  it('asks for a quantity when "多少" or "how much" has no measure word, and 6G is no quantity', () => {
    expect(countUnit('卫蓝新能源的固态电池目前年产能是多少?')).toBeDefined();
    expect(countUnit('How much funding did the lab get?')).toBeDefined();
    expect(countUnit('多少家是央企?')).toBe('家');
    expect(countUnit('有几级部门?')).toBe('级');
    // "哪几级/哪几条" asks which ones (a list), not how many.
    expect(countUnit('哪几条建议?')).toBeUndefined();
    const unit = countUnit('年产能是多少?')!;
    expect(statesCount('且已经具备量产能力。', unit)).toBe(false);
    expect(statesCount('支持以北京6G实验室为基础。', unit)).toBe(false);
    expect(statesCount('年产能达到20GWh以上', unit)).toBe(true);
    expect(statesCount('年产能达到20万吨。', unit)).toBe(true);
    expect(statesCount('有104家央企', unit)).toBe(true);
  });

  it('a date is no quantity, and a question about money needs an amount in 元', () => {
    const any = countUnit('一共投入了多少?')!;
    expect(statesCount('10月12日，区政协召开协商会。', any)).toBe(false);
    expect(statesCount('3月26日上午', any)).toBe(false);
    expect(statesCount('走访了18所学校', any)).toBe(true);
    const money = countUnit('区里给这个项目拨了多少钱?')!;
    expect(statesCount('走访了18所学校，发放问卷3200份。', money)).toBe(false);
    expect(statesCount('设立规模20亿元的基金', money)).toBe(true);
    expect(statesCount('每人补贴五千元', money)).toBe(true);
  });

  it('keeps a one-character noun that names a thing, and cuts a locative off the noun it is glued to', () => {
    expect(contentTerms('这项技术主要用在哪几类药上?')).toContain('药');
    expect(contentTerms('给了多少钱?')).toContain('钱');
    expect(contentTerms('有多少人参加?')).not.toContain('人');
  });

  it('counts things with the measure word of their kind, in English questions too', () => {
    expect(countUnit('How many electric buses does the city run?')).toBe('辆');
    expect(statesCount('全市运营电动公交车3000辆', countUnit('How many electric buses does the city run?')!)).toBe(true);
    expect(statesCount('全市运营电动公交车3000余人次', countUnit('How many electric buses does the city run?')!)).toBe(false);
    expect(countUnit('医院有多少张病床?')).toBe('张');
  });

  it('asks who when it asks for a name', () => {
    expect(asksWho('那位研究电池的委员叫啥?')).toBe(true);
    expect(asksWho('提这个建议的委员叫什么名字')).toBe(true);
    // A thing's name is not a person's.
    expect(asksWho("What's her name?")).toBe(true);
    expect(asksWho('这个平台叫什么?')).toBe(false);
    expect(asksWho('这个平台有什么作用?')).toBe(false);
  });
});
