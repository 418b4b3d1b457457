import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { shortProposal } from '../../src/summaries/clauses.js';
import { latestDocumentId, overview, summariseDocument } from '../../src/summaries/summarise.js';
import { sharedSeedIndex } from '../support/seed-index.js';

let index: ForumIndex;
beforeAll(async () => {
  index = await sharedSeedIndex();
});
afterAll(() => index.close());

describe('extractive forum summaries', () => {
  it('names every member who spoke in 2026 with the right affiliation, each with cited proposals', () => {
    const summary = summariseDocument(index, '000_427e375fdec6027b');
    expect(summary.date).toBe('2026-01-26');
    expect(summary.session).toContain('十四届四次会议');
    expect(summary.opening!.text).toContain('大力发展新质生产力');
    expect(summary.members.map((m) => [m.name, m.affiliation])).toEqual([
      ['王磊', '北京中科闻歌科技股份有限公司'],
      ['黄宇红', '中国移动通信研究院'],
      ['冯莉琼', '京东方科技集团股份有限公司'],
    ]);
    const huang = summary.members[1]!;
    expect(huang.proposals.length).toBeGreaterThan(0);
    expect(huang.proposals.some((p) => p.text.includes('6G+AI'))).toBe(true);
    // Every cited line's text comes from the passage its number points to.
    for (const member of summary.members) {
      for (const line of member.proposals) {
        const passage = summary.citations.find((c) => c.n === line.n)!.text;
        expect(passage.replace(/\s/g, '')).toContain(line.text.replace(/^…|…$/g, '').replace(/[”"]$/, '').slice(0, 20).replace(/\s/g, ''));
      }
    }
  });

  it('names all five members of 2025 with their posts', () => {
    const summary = summariseDocument(index, '003_e28bedb5bee0dbd7');
    expect(summary.members.map((m) => `${m.name}|${m.affiliation}|${m.role}`)).toEqual([
      '马光辉|中国科学院过程工程研究所生化工程国家重点实验室|主任',
      '褚潇炜|北京科技创新促进中心|主任',
      '俞会根|北京卫蓝新能源科技有限公司|董事长兼总经理',
      '顾行发|中国科学院空天信息创新研究院|高级专务',
      '赵宇|北京协和医院|骨科主任医师',
    ]);
    const yu = summary.members[2]!;
    expect(yu.proposals.map((p) => p.text).join('')).toContain('固态电池');
    expect(yu.proposals.every((p) => !p.text.includes('建议用场景需求'))).toBe(true); // a heading, not a proposal
  });

  it('gives an overview across sessions, newest first, and knows the latest', () => {
    expect(overview(index).map((s) => s.date)).toEqual(['2026-01-26', '2025-01-15']);
    expect(latestDocumentId(index)).toBe('000_427e375fdec6027b');
  });

  it.each([
    // connective and occasion before the member's act; the name the line already shows
    ['有鉴于此,今年全会期间,林晓岚专门带来了《关于完善社区养老服务体系的提案》。', '专门带来了《关于完善社区养老服务体系的提案》'],
    // topic frame and who speaks; "由…牵头" takes the clause it belongs to
    ['在培养护理人才方面,她建议,由区人社部门牵头,开设护理员培训班,三年内培训五百人。', '由区人社部门牵头,开设护理员培训班,三年内培训五百人'],
    // a problem frame, then name and verb without a comma; whole clauses up to the limit, none cut
    ['针对驿站收支难以平衡等问题,林晓岚建议对运营良好的驿站给予奖励,并引入社会资本参与运营,形成可持续的运营模式,逐步减少财政补贴。', '对运营良好的驿站给予奖励,并引入社会资本参与运营,形成可持续的运营模式'],
    // an enumeration's ordinal; a quoted term kept with its marks
    ['二是推广“扫码入企”,执法人员入企须扫码登记。', '推广“扫码入企”,执法人员入企须扫码登记'],
    // a sentence inside a longer quotation: the quote's marks that belong to other sentences go
    ['“同时,要打造‘邻里互助’平台。', '要打造‘邻里互助’平台'],
    ['建议每个街道设立互助站点,让低龄老人帮扶高龄老人。”', '每个街道设立互助站点,让低龄老人帮扶高龄老人'],
    ['此外,她还建议,对高龄老人给予分级补贴。', '对高龄老人给予分级补贴'],
  ])('a digest shows the proposal of "%s" as "%s"', (sentence, expected) => {
    expect(shortProposal(sentence, { name: '林晓岚', affiliation: '北京康乐养老服务中心', role: '主任', start: 0 }, 36)).toBe(expected);
  });
});
