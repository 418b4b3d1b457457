import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsker, type Asker } from '../../src/answering/ask.js';
import { englishName, peopleNamedInEnglish } from '../../src/corpus/name-spellings.js';
import { translateQuestion } from '../../src/crosslingual/translate.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { sharedSeedIndex } from '../support/seed-index.js';

let index: ForumIndex;
let ask: Asker;

beforeAll(async () => {
  index = await sharedSeedIndex();
  ask = createAsker({ index });
});
afterAll(() => index.close());

describe('member names in English', () => {
  it('resolves pinyin spellings in any order, case and spacing to the right member', () => {
    const everyone = [...index.corpus.documents.values()].flatMap((document) => document.people);
    for (const spelling of ['Huang Yuhong', 'huang yuhong', 'Yuhong Huang', 'HUANG Yu-hong', 'huangyuhong']) {
      expect(peopleNamedInEnglish(`What did ${spelling} say?`, everyone).map((p) => p.name), spelling).toEqual(['黄宇红']);
    }
    expect(peopleNamedInEnglish('What did Chu Xiaowei propose?', everyone).map((p) => p.name)).toEqual(['褚潇炜']);
    expect(peopleNamedInEnglish('What did Zhang San propose?', everyone)).toEqual([]);
    expect(englishName('顾行发')).toBe('Gu Xingfa');
  });
});

describe('English terms to the articles\' Chinese terms', () => {
  const groups = (question: string) => translateQuestion(index, question).termGroups.flatMap((group) => group.split('|'));

  it('maps domain terms, longest phrase first', () => {
    expect(groups('Who spoke about solid-state batteries?')).toContain('固态电池');
    expect(groups('Which vaccine adjuvant technology was mentioned?')).toContain('疫苗佐剂');
    expect(groups('What about central SOEs and basic research?')).toEqual(expect.arrayContaining(['央企', '基础研究']));
    expect(groups('What about 6G and AI integration?')).toEqual(expect.arrayContaining(['6g', '人工智能', '融合']));
    expect(groups('How should data security be improved?')).toContain('数据安全');
  });

  it('writes an ordinal as the articles do, and leaves chat and summarising words out', () => {
    expect(groups('What did the 14th committee discuss?')).toContain('十四');
    expect(groups('hey can u sum up the talks pls')).toEqual([]);
  });

  it('tells names and acronyms nothing translates (CSRC, WeLion) from ordinary capitalised words', () => {
    expect(translateQuestion(index, 'What did the CSRC say about WeLion and the NEV market?').names).toEqual(expect.arrayContaining(['csrc', 'welion']));
    expect(translateQuestion(index, 'What did Beijing members say in January?').names).toEqual([]);
  });

  it('reads an adverb in -ly as its adjective and a connective as no topic', () => {
    expect(groups('Is the city strong nationally and globally?')).toEqual(expect.arrayContaining(['全国', '全球']));
    expect(groups('What happened over the course of the meeting?')).not.toContain('课程');
    expect(groups('Which courses were developed?')).toContain('课程');
  });

  it('keeps an English word it cannot translate into the articles as itself (so it counts as missing)', () => {
    expect(groups('Did anyone mention quantum teleportation?')).toEqual(expect.arrayContaining(['teleportation']));
  });
});

describe('English questions end to end, offline', () => {
  it('answers with the cited Chinese passage and English framing that keeps the Chinese name', async () => {
    const result = await ask('What did Yu Huigen propose about solid-state batteries?');
    expect(result.refused).toBe(false);
    // "他建议，…" is the reporter's narration, so it is framed as the report's, not as his words.
    expect(result.answer).toMatch(/^The report says Yu Huigen \(俞会根, 北京卫蓝新能源科技有限公司董事长兼总经理\) proposed: “他建议/);
    expect(result.citations[0]!.text).toContain('固态电池');
  });

  it('finds the member asked about by description', async () => {
    const result = await ask('Which member from Peking Union Medical College Hospital talked about data security?');
    expect(result.answer).toContain('赵宇');
    expect(result.citations[0]!.text).toContain('数据安全');
  });

  it('refuses in English when the articles do not cover it', async () => {
    for (const question of ['How many CPPCC members attended the forum in total?', 'What did the members say about the weather?', 'Who chaired the 2026 forum?']) {
      const result = await ask(question);
      expect(result.refused, question).toBe(true);
      expect(result.answer).toMatch(/forum articles don't cover/);
    }
  });
});

describe('dates in English', () => {
  it('turns "January 26" and "15th of Jan." into the articles\' 1月26日 and answers from that forum', async () => {
    expect(translateQuestion(index, 'What happened on January 26?').termGroups).toContain('1月26日');
    expect(translateQuestion(index, 'Who spoke on the 15th of Jan.?').termGroups).toContain('1月15日');
    // "may" alone is a word, not a month.
    expect(translateQuestion(index, 'What may the city do for batteries?').termGroups.some((group) => group.includes('月'))).toBe(false);
    const answer = await ask('During which session of the Beijing CPPCC was the January 26 forum held?');
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain('十四届四次会议');
  });
});
