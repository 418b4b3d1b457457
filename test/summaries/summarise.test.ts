import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { latestDocumentId, overview, summariseDocument } from '../../src/summaries/summarise.js';
import { buildSeedIndex, temporaryDirectory } from '../support/seed-index.js';

let index: ForumIndex;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const { dir, remove } = await temporaryDirectory();
  cleanup = remove;
  index = await buildSeedIndex(path.join(dir, 'index'));
});
afterAll(() => cleanup());

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
});
