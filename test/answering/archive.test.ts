import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAsker, type Asker } from '../../src/answering/ask.js';
import { buildSeedIndex, copySeeds, temporaryDirectory } from '../support/seed-index.js';

const ARCHIVE = path.resolve(import.meta.dirname, '../../eval/archive');

// The eight archive reports were written in other publishers' styles; nothing was tuned on them.
describe('answers from reports the project was not written against (seeds + archive, extractive)', () => {
  let ask: Asker;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const { dir, remove } = await temporaryDirectory();
    cleanup = remove;
    const seeds = await copySeeds(path.join(dir, 'seeds'));
    for (const file of (await readdir(ARCHIVE)).filter((name) => /^a\d+\.txt$/.test(name))) await cp(path.join(ARCHIVE, file), path.join(seeds, file));
    ask = createAsker({ index: await buildSeedIndex(path.join(dir, 'index'), seeds) });
  }, 60_000);
  afterAll(() => cleanup());

  it('names a member introduced as "常委X是<organisation><post>" with organisation and post', async () => {
    const result = await ask('卜衡在哪所大学任职？');
    expect(result.refused).toBe(false);
    expect(result.answer).toContain('北京燕京财经大学');
    expect(result.citations[0]!.docId).toBe('a04');
  });

  it('answers the same question typed in chat style with markup, mention and emoji', async () => {
    const result = await ask('hi~ @forum_bot <b>卜衡</b>是哪所大学的呀?🙏 谢谢');
    expect(result.refused).toBe(false);
    expect(result.answer).toContain('北京燕京财经大学');
  });

  it('follows a pronoun to the member the conversation is about', async () => {
    const first = await ask('覃若岚是哪个单位的？');
    expect(first.answer).toContain('北京启衡通信研究院');
    const next = await ask('她对6G研发的风险怎么看？', { history: [{ question: '覃若岚是哪个单位的？', answer: first.answer }] });
    expect(next.refused).toBe(false);
    expect(next.citations.every((citation) => citation.docId === 'a01')).toBe(true);
    expect(next.answer).toMatch(/6G|风险/);
  });

  it('resolves a member referred to by surname and title, and a new question after a conversation keeps its own subject', async () => {
    const bySurname = await ask('卜常委建议怎样评价营商环境？');
    expect(bySurname.refused).toBe(false);
    expect(bySurname.citations[0]!.docId).toBe('a04');
    const history = [{ question: '覃若岚是哪个单位的？', answer: '覃若岚：北京启衡通信研究院（示范）院长[1]' }];
    const standalone = await ask('北京燕京财经大学的哪位常委研究营商环境评价？', { history });
    expect(standalone.answer).toContain('卜衡');
    expect(standalone.answer).not.toContain('覃若岚');
  });

  it('answers who chaired a meeting with the official the report names, and refuses it where no official is named', async () => {
    const chaired = await ask('朝阳区那次养老服务协商会，是哪位领导主持的？');
    expect(chaired.refused).toBe(false);
    expect(chaired.answer).toContain('聂书宁');
    // The seed reports name the members who spoke but nobody who chaired: a member is no answer.
    const unnamed = await ask('2026年1月那场座谈会是谁主持的？');
    expect(unnamed.refused).toBe(true);
  });

  it('reads "提出了什么建议" as asking for the proposals (Chinese leaves the plural unmarked)', async () => {
    const result = await ask('卜衡都提出了什么建议？');
    expect(result.refused).toBe(false);
    const lines = result.answer.split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(line).toMatch(/\[\d+\]$/);
    expect(result.citations.every((citation) => citation.docId === 'a04')).toBe(true);
    // A line whose sentence names its speaker first ("在卜衡看来，…") is not labelled with the name again.
    for (const line of lines) expect(line).not.toMatch(/^卜衡：[^，,]*卜衡/);
  });

  it('answers a list question with the whole enumeration, every item cited', async () => {
    const result = await ask('钱映川在中试方面提了哪几条建议？');
    expect(result.refused).toBe(false);
    const items = result.answer.split('\n');
    expect(items.length).toBeGreaterThanOrEqual(3);
    for (const [i, ordinal] of ['一是', '二是', '三是'].entries()) expect(items[i]).toContain(ordinal);
    for (const item of items) expect(item).toMatch(/\[\d+\]$/);
    expect(result.citations.every((citation) => citation.docId === 'a06')).toBe(true);
  });

  it('summarises a forum as one cited line per speaking member, its officials left out', async () => {
    const result = await ask('大兴那次生物医药座谈会上，委员们的发言能概括一下吗');
    expect(result.refused).toBe(false);
    const lines = result.answer.split('\n');
    const members = ['钱映川', '汤以宁', '祁书瑶', '杭雨霖', '柴书航', '蒋若谷', '翁秀岚'];
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      expect(members.some((name) => line.startsWith(`${name}：`))).toBe(true);
      expect(line).toMatch(/\[\d+\]$/);
    }
    // The moderator and the district's officials are not members, and the official's reply is nobody's proposal.
    expect(result.answer).not.toMatch(/闵嘉树|鄢若琳|负责同志/);
    expect(result.citations.every((citation) => citation.docId === 'a06')).toBe(true);
  });

  it("summarises one member's proposals, each line theirs, the further ones (还建议) after the main one", async () => {
    const result = await ask('简单总结下卢晚晴的建议');
    expect(result.refused).toBe(false);
    const lines = result.answer.split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toContain('三张清单');
    expect(result.citations.every((citation) => citation.docId === 'a05')).toBe(true);
  });

  it('compares two members with one cited line each', async () => {
    const result = await ask('汤以宁和蒋若谷各自关注的是什么？');
    const lines = result.answer.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.some((line) => line.startsWith('汤以宁：'))).toBe(true);
    expect(lines.some((line) => line.startsWith('蒋若谷：'))).toBe(true);
  });

  it('reads a wrong character typed with the right pinyin as the word or name the reports use', async () => {
    // 蒋若古 for 蒋若谷, 障爱 for 障碍: what an input method offers first is often not what was meant.
    const result = await ask('蒋若古说AI+制药最大的障爱是什么');
    expect(result.refused).toBe(false);
    expect(result.answer).toContain('高质量数据不足');
    expect(result.citations[0]!.docId).toBe('a06');
  });

  it('narrows to the forum held on the day a question names, without a year', async () => {
    const result = await ask('5月9号那次座谈会上都有谁发言了');
    expect(result.refused).toBe(false);
    expect(result.citations.every((citation) => citation.docId === 'a06')).toBe(true);
    expect(result.answer).toContain('钱映川');
  });

  it('answers each part of a question that asks two things, from the sentence for each', async () => {
    const result = await ask('杭雨霖说园区现在入驻了多少家企业？今年打算新增多少套人才公寓？');
    expect(result.refused).toBe(false);
    expect(result.answer).toContain('146家');
    expect(result.answer).toContain('800套');
  });

  it('corrects a claim the report states otherwise, and refuses to answer from a number it contradicts', async () => {
    const checked = await ask('祁书瑶建议科研团队获得的转化收益比例不低于50%，对吗？');
    expect(checked.refused).toBe(false);
    expect(checked.answer).toContain('不低于70%');
    const built = await ask('入驻企业200家的是哪个园区？');
    expect(built.refused).toBe(true);
  });

  it("finds a member's own passages when the question is mostly about the meeting", async () => {
    const result = await ask('2024年大兴区政协月度协商座谈会上，柴书航针对高端医疗器械提出了什么？');
    expect(result.refused).toBe(false);
    expect(result.answer).toContain('首台套');
  });

  it('corrects a wrong premise: the organisation another member is from, the year the member did not speak in', async () => {
    const organisation = await ask('北京兴和医院的钱映川委员建议了什么？');
    expect(organisation.refused).toBe(false);
    expect(organisation.answer).toContain('北京澜川生物医药有限公司');
    expect(organisation.answer).toContain('汤以宁');
    const year = await ask('钱映川在2026年的会上说了什么？');
    expect(year.refused).toBe(false);
    expect(year.answer).toContain('2024年5月9日');
    expect(year.citations.every((citation) => citation.docId === 'a06')).toBe(true);
  });

  it('names the official who chaired a meeting, although officials are not members', async () => {
    const result = await ask('大兴区那次月度协商座谈会是谁主持的？');
    expect(result.refused).toBe(false);
    expect(result.answer).toContain('鄢若琳');
    const english = await ask('Who chaired the Daxing District monthly consultation on biomedicine?');
    expect(english.answer).toContain('鄢若琳');
  });

  it("answers who wrote a report from its byline, and refuses what only the page's furniture says", async () => {
    const byline = await ask('大兴生物医药那场座谈会的报道是哪位记者写的？');
    expect(byline.refused).toBe(false);
    expect(byline.answer).toContain('岳晴川');
    expect(byline.citations[0]!.docId).toBe('a06');
    const furniture = await ask('房山那篇氢能报道最后留的举报邮箱是什么？');
    expect(furniture.refused).toBe(true);
    expect(furniture.answer).not.toMatch(/@|example\.com/);
  });

  it('answers a why-question with the reason the same speaker gives next to the matching sentence', async () => {
    const result = await ask('钱映川为什么建议建设公共中试平台？求解');
    expect(result.refused).toBe(false);
    expect(result.answer).toContain('公共中试平台');
    expect(result.answer).toContain('没有自建中试产线');
  });

  it('refuses a question about a member no report mentions, on a topic the reports do cover', async () => {
    const result = await ask('委员温如海对社区养老驿站提了什么建议？');
    expect(result.refused).toBe(true);
    expect(result.citations).toEqual([]);
  });

  it('refuses to date something the reports never date', async () => {
    const result = await ask('北京星澜智能科技有限公司是哪一年成立的？');
    expect(result.refused).toBe(true);
  });
});
