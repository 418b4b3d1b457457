import { describe, expect, it } from 'vitest';
import { answersKind, evidenceTerms, isNamedThing, sentencesOf, softCoverage } from '../../src/answering/evidence.js';
import { memoryIndex } from '../support/memory-index.js';
import { relatedWordsIn } from '../../src/crosslingual/related-words.js';
import { normaliseChat } from '../../src/text/chat.js';

describe('chat text is normal input', () => {
  it('strips markup, mentions, emoji, greetings and sign-offs but keeps the question', () => {
    expect(normaliseChat('hi~ @forum_helper_bot 张委员在哪家公司上班呀?😊')).toBe('张委员在哪家公司上班呀?');
    expect(normaliseChat('<i>请问</i> &amp; 李主任提了什么建议？谢谢！')).toBe('李主任提了什么建议?');
    expect(normaliseChat('你好，麻烦问下 养老驿站有多少家')).toBe('养老驿站有多少家');
  });

  it('reads a rank said in the chat register as the report writes it', () => {
    expect(normaliseChat('咱们新能源车销量排世界老大吗?')).toBe('咱们新能源车销量排世界第一吗?');
    expect(normaliseChat('这家医院的床位数是全市老三?')).toBe('这家医院的床位数是全市第三?');
    expect(normaliseChat('打造头号创新高地')).toBe('打造第一创新高地');
    // Without a verb of ranking 老二 is not a rank.
    expect(normaliseChat('他家老二在哪上学?')).toBe('他家老二在哪上学?');
  });

  it('leaves a message that is only a greeting as it was, so it is not lost', () => {
    expect(normaliseChat('你好')).toBe('你好');
  });
});

describe('evidence', () => {
  it('gives a close wording part of the credit and the exact wording all of it', () => {
    const terms = ['医生', '骨科'];
    const exact = softCoverage(terms, '他是一名骨科医生。');
    const close = softCoverage(terms, '他是骨科主任医师。');
    const none = softCoverage(terms, '他在公司做财务。');
    expect(exact).toBe(1);
    expect(close).toBeGreaterThan(none);
    expect(close).toBeLessThan(exact);
  });

  it('gives a word the dictionary relates to the question\'s (企业 for 公司) part of the credit, an English pun none', () => {
    const text = '委员建议，支持本地企业开展技术攻关，资本市场要发挥作用。';
    const index = memoryIndex([{ id: 'x', title: '座谈会', text }]);
    const related = relatedWordsIn(index);
    expect(related('公司')).toContain('企业');
    // 扎实 is also "firm" in English; one shared sense out of many is no relation.
    expect(related('公司')).not.toContain('扎实');
    const withDictionary = softCoverage(['公司', '技术'], text, [], related);
    expect(withDictionary).toBeGreaterThan(softCoverage(['公司', '技术'], text));
    expect(withDictionary).toBeLessThan(softCoverage(['企业', '技术'], text));
  });

  it('weighs the asked-about word most, and gives it no credit for a shared character', () => {
    const terms = ['座谈会', '会场'];
    expect(softCoverage(terms, '座谈会在上午举行。', ['会场'])).toBeLessThan(softCoverage(terms, '座谈会在上午举行。'));
  });

  it('does not count the date a question is scoped to as evidence', () => {
    expect(evidenceTerms('3月5日的协商会在哪举行?', ['3', '5', '协商会'])).toEqual(['协商会']);
    expect(evidenceTerms('有多少家企业参加了5G试点?', ['企业', '5g'])).toEqual(['企业', '5g']);
  });

  it('tells named things (names, numbers, organisations) from ordinary words', () => {
    expect(isNamedThing('欧阳明德')).toBe(true);
    expect(isNamedThing('陈思远')).toBe(true);
    expect(isNamedThing('2031')).toBe(true);
    expect(isNamedThing('北京星河电子有限公司')).toBe(true);
    expect(isNamedThing('关注点')).toBe(false);
    expect(isNamedThing('养老')).toBe(false);
  });

  it('needs a time expression to answer a question asking when', () => {
    expect(answersKind('这个平台哪年建成?', '平台建设投入了大量资金。')).toBe(false);
    expect(answersKind('这个平台哪年建成?', '平台将于2028年建成。')).toBe(true);
    expect(answersKind('平台由谁建设?', '平台建设投入了大量资金。')).toBe(true);
  });

  it('does not answer what has been done with a sentence that only proposes it', () => {
    expect(answersKind('全区已经建成了多少个充电站?', '委员建议，推动每个街道至少建设2个充电站。')).toBe(false);
    expect(answersKind('全区已经建成了多少个充电站?', '截至去年底，全区已建成充电站86个。')).toBe(true);
    expect(answersKind('Which cities has the scheme already been used in?', '他表示，这一方案急需推广到更多城市。')).toBe(false);
    // Without the perfective the question asks about the plan itself.
    expect(answersKind('委员建议建设多少个充电站?', '委员建议，推动每个街道至少建设2个充电站。')).toBe(true);
  });
});

describe('sentences as a reader takes them', () => {
  it('reads an attribution closed by a full stop together with the words it introduces', () => {
    const text = '市政协委员、城建研究院院长张明表示。城市更新要坚持以人为本，先地下后地上。他还建议设立专项资金支持老旧小区改造。';
    const index = memoryIndex([{ id: 'x', title: '城市更新座谈会', text }]);
    const sentences = sentencesOf(index, { ...index.corpus.chunks[0]!, score: 0 }, 0).map((sentence) => sentence.text);
    expect(sentences[0]).toBe('市政协委员、城建研究院院长张明表示。城市更新要坚持以人为本，先地下后地上。');
    expect(sentences[1]).toBe('他还建议设立专项资金支持老旧小区改造。');
  });
});
