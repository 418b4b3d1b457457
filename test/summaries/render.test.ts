import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { extractiveSummarizer, type Digest } from '../../src/summaries/digest.js';
import { digestHtml, digestText, overviewHtml } from '../../src/telegram/digests/render.js';
import { resolveSummaryRequest } from '../../src/telegram/digests/requests.js';
import { overview, summariseDocument, type ForumSummary } from '../../src/summaries/summarise.js';
import { splitHtml } from '../../src/telegram/split.js';
import { parseTelegramHtml } from '../support/fake-telegram.js';
import { Corpus } from '../../src/index/corpus.js';
import { sharedSeedIndex } from '../support/seed-index.js';

const DOC_2026 = '000_427e375fdec6027b';
const DOC_2025 = '003_e28bedb5bee0dbd7';

let index: ForumIndex;
beforeAll(async () => {
  index = await sharedSeedIndex();
});
afterAll(() => index.close());

/** Every part as Telegram would take it: valid HTML, at most 4096 visible characters. */
function telegramParts(html: string): { text: string; entities: { type: string; offset: number; length: number }[] }[] {
  return splitHtml(html).map((part) => {
    const parsed = parseTelegramHtml(part);
    expect(parsed.text.length).toBeLessThanOrEqual(4096);
    return parsed;
  });
}

describe('digests as Telegram HTML', () => {
  it.each([
    [DOC_2026, 'zh' as const, ['王磊|北京中科闻歌科技股份有限公司董事长', '黄宇红|中国移动通信研究院院长', '冯莉琼|京东方科技集团股份有限公司执行副总裁'], '论坛摘要 · 2026年1月26日'],
    [
      DOC_2025,
      'en' as const,
      [
        '马光辉|中国科学院过程工程研究所生化工程国家重点实验室主任',
        '褚潇炜|北京科技创新促进中心主任',
        '俞会根|北京卫蓝新能源科技有限公司董事长兼总经理',
        '顾行发|中国科学院空天信息创新研究院高级专务',
        '赵宇|北京协和医院骨科主任医师',
      ],
      'Forum digest · 2025-01-15',
    ],
  ])('%s (%s): the session once, one line per member with cited proposals, the passages behind one sources quote', async (docId, language, members, heading) => {
    const digest = await extractiveSummarizer.digest(index, docId, language);
    const html = digestHtml(digest);
    const parts = telegramParts(html);
    const text = parts.map((part) => part.text).join('\n');
    const sourcesLabel = language === 'zh' ? '来源' : 'Sources';
    const body = text.slice(0, text.indexOf(`${sourcesLabel}：`));
    expect(text.startsWith(heading)).toBe(true);
    // The theme once: the heading names the session and its theme; no 主题 line repeats it.
    const theme = /“([^”]+)”/.exec(digest.summary.session!)![1]!;
    expect(body.split(theme)).toHaveLength(2);
    expect(body).not.toMatch(/主题：|Theme: /);
    // One line per member, in the article's order: name, organisation and post, then the proposals.
    const lines = body.split('\n').filter((line) => line.trim());
    expect(lines).toHaveLength(2 + members.length);
    members.forEach((entry, i) => {
      const [name, post] = entry.split('|') as [string, string];
      const line = lines[2 + i]!;
      expect(line, entry).toContain(`${name}（${post}`);
      const member = digest.summary.members[i]!;
      expect(member.name).toBe(name);
      expect(member.proposals.length).toBeGreaterThan(0);
      for (const proposal of member.proposals) expect(line).toContain(`${proposal.text}[${proposal.n}]`);
    });
    // Proposals are short whole clauses: no bullets, no cut ends, no leftovers of the sentence around them.
    for (const member of digest.summary.members) {
      for (const { text: proposal } of member.proposals) {
        expect(proposal, proposal).not.toMatch(/^…|…$|^•|^(?:有鉴于此|对此|此外|同时|今年两会期间|[一二三四五]是)|^(?:她|他)(?:还)?建议/);
        expect(proposal.length, proposal).toBeLessThanOrEqual(60);
      }
    }
    // One expandable quote holds the article (title, publisher, date) and every cited passage.
    const quotes = parts.flatMap((part) => part.entities.filter((entity) => entity.type === 'expandable_blockquote'));
    expect(quotes).toHaveLength(1);
    expect(text).toContain(`${sourcesLabel}：${digest.summary.title} · 新京报 · ${digest.summary.date}`);
    const used = new Set([...body.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
    expect([...used].sort((a, b) => a - b)).toEqual(digest.summary.citations.map((citation) => citation.n));
    for (const citation of digest.summary.citations) expect(text).toContain(`[${citation.n}] ${citation.text.replace(/\n{2,}/g, '\n').trim()}`);
    // The cited sentences are underlined in their passages.
    const underlined = parts.flatMap((part) => part.entities.filter((entity) => entity.type === 'underline').map((entity) => part.text.slice(entity.offset, entity.offset + entity.length)));
    expect(underlined.join('')).toContain(digest.summary.members[0]!.proposals[0]!.text.slice(0, 12));
    // Measured on the seeds (README): 447–660 visible characters outside the sources quote, about
    // one 400×800 phone screen, where the earlier layout (a box per [n]) took about three.
    expect(body.length).toBeLessThanOrEqual(700);
  });

  it('escapes everything from the articles', () => {
    const summary: ForumSummary = {
      docId: 'x',
      title: 'A <b>bold</b> & "quoted" title',
      date: '2026-02-02',
      session: 'Session <script>alert(1)</script>',
      opening: { text: 'Theme & <i>more</i>', n: 1 },
      members: [
        {
          name: '张<三>',
          affiliation: 'R&D <Lab>',
          role: '主任',
          introduction: { text: 'x', n: 1 },
          proposals: [{ text: 'Use a < b && c > d', n: 1 }],
        },
      ],
      citations: [{ n: 1, docId: 'x', title: 'A <b>bold</b> & "quoted" title', date: '2026-02-02', url: 'https://example.org/?a=1&b="2"', chunkId: 'x#0', text: '<blockquote>&amp; raw' }],
      contentHash: 'h',
    };
    const html = digestHtml({ summary, mode: 'extractive', language: 'en', publisher: 'P&Q' });
    const [part] = telegramParts(html);
    expect(part!.text).toContain('Session <script>alert(1)</script>');
    expect(part!.text).toContain('张<三>（R&D <Lab>主任）：Use a < b && c > d[1]。');
    expect(part!.text).toContain('<blockquote>&amp; raw');
    expect(part!.text).toContain('P&Q');
    expect(html).toContain('<a href="https://example.org/?a=1&amp;b=&quot;2&quot;">');
  });

  it('a digest too long for one message is split under 4096, never inside a tag or a marker', async () => {
    const digest = await extractiveSummarizer.digest(index, DOC_2025, 'zh');
    const citations = digest.summary.citations.map((citation) => ({ ...citation, text: `${citation.text}\n${'创新<&>'.repeat(300)}` }));
    const html = digestHtml({ ...digest, summary: { ...digest.summary, citations } });
    const parts = telegramParts(html);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const joined = parts.map((part) => part.text).join('');
    for (const citation of citations) expect(joined.replace(/\s/g, '')).toContain(citation.text.replace(/\s/g, '').slice(0, 200));
  });

  it('an updated article is marked; an LLM digest shows its verified text with names in bold and says who wrote it', async () => {
    const extractive = await extractiveSummarizer.digest(index, DOC_2026, 'zh');
    expect(parseTelegramHtml(digestHtml(extractive, { updated: true })).text).toMatch(/^论坛摘要 · 2026年1月26日（报道已更新）/);

    const llm: Digest = {
      ...extractive,
      mode: 'llm',
      llm: {
        text: '座谈会围绕新质生产力建言[1]。\n黄宇红（中国移动通信研究院院长）：建议推动6G与AI融合[2]。',
        citations: extractive.summary.citations.slice(0, 2),
        model: 'fake-model',
        dropped: [],
      },
    };
    const html = digestHtml(llm);
    expect(html).toContain('<b>黄宇红</b>（中国移动通信研究院院长）：建议推动6G与AI融合[2]。');
    const text = telegramParts(html).map((part) => part.text).join('\n');
    expect(text).toContain('由大模型（fake-model）根据报道撰写');
    expect(text).not.toContain('[3]');
    expect(digestText(llm)).toContain('黄宇红（中国移动通信研究院院长）：建议推动6G与AI融合[2]。');
  });

  it('the overview lists every session, newest first, with who spoke', () => {
    const html = overviewHtml(overview(index), 'zh');
    const [part] = telegramParts(html);
    expect(part!.text).toMatch(/^已收录的论坛（2 场）/);
    expect(part!.text.indexOf('2026年1月26日')).toBeLessThan(part!.text.indexOf('2025年1月15日'));
    expect(part!.text).toContain('赵宇（北京协和医院骨科主任医师）');
    expect(part!.text).toContain('/summary 2026-01-26');
  });
});

describe('/summary arguments', () => {
  it.each([
    ['', { kind: 'digests', docIds: [DOC_2026] }],
    ['latest', { kind: 'digests', docIds: [DOC_2026] }],
    ['all', { kind: 'overview', docIds: [DOC_2026, DOC_2025] }],
    ['全部', { kind: 'overview', docIds: [DOC_2026, DOC_2025] }],
    ['2025', { kind: 'digests', docIds: [DOC_2025] }],
    ['2025-01', { kind: 'digests', docIds: [DOC_2025] }],
    ['2025-01-15', { kind: 'digests', docIds: [DOC_2025] }],
    ['2025/1/15', { kind: 'digests', docIds: [DOC_2025] }],
    ['2025年1月15日', { kind: 'digests', docIds: [DOC_2025] }],
    ['2026年', { kind: 'digests', docIds: [DOC_2026] }],
    [DOC_2025, { kind: 'digests', docIds: [DOC_2025] }],
    ['2024', { kind: 'nothing', period: '2024', known: ['2026-01-26', '2025-01-15'] }],
    ['2025-02-30', { kind: 'nothing', period: '2025-02-30' }],
    ['what?', { kind: 'usage' }],
  ])('"%s"', (args, expected) => {
    expect(resolveSummaryRequest(index, args)).toMatchObject(expected);
  });

  it('a year with several sessions gives their overview', () => {
    const redated = [...index.corpus.documents.values()].map((document) => ({ ...document, date: document.id === DOC_2025 ? '2026-03-01' : document.date }));
    const twice = { ...index, corpus: new Corpus(redated, index.corpus.chunks) };
    expect(resolveSummaryRequest(twice, '2026')).toMatchObject({ kind: 'overview', period: '2026', docIds: [DOC_2025, DOC_2026] });
    expect(summariseDocument(index, DOC_2026).members).toHaveLength(3);
  });
});
