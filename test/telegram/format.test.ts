import { describe, expect, it } from 'vitest';
import { escapeHtml, linkedTitle, previewText, renderAnswer } from '../../src/telegram/format.js';
import { htmlToPlain } from '../../src/telegram/html.js';
import type { Citation } from '../../src/types.js';
import { parseTelegramHtml } from '../support/fake-telegram.js';

type Parsed = ReturnType<typeof parseTelegramHtml>;

/** The visible text each entity of a type covers, in order. */
function covered(parsed: Parsed, type: string): string[] {
  return parsed.entities.filter((entity) => entity.type === type).map((entity) => parsed.text.slice(entity.offset, entity.offset + entity.length));
}

const article = (docId: string, title: string, date: string, url: string | null) => (n: number, text: string): Citation => ({
  n, docId, title, date, url, chunkId: `${docId}#${n}`, text,
});

// Passages written for these tests: a heading line, then sentences; the answer cites the middle one.
const spring = article('spring', '区政协召开春季协商会 委员建言社区养老', '2031-03-02', 'https://news.example.org/spring.html');
const autumn = article('autumn', '区政协秋季座谈会聚焦老旧小区改造', '2031-09-18', null);
const CARE = spring(1, '把驿站办成老人的家\n区政协委员、某某养老服务中心主任林晓岚介绍，全区已建成养老驿站120家。她建议，推行助餐服务进楼门，对高龄老人给予分级补贴。她还提到，驿站人手普遍不足。');
const STAFF = spring(2, '林晓岚建议，由区人社部门牵头开设护理员培训班，三年内培训五百人。培训合格者优先安排到驿站工作。');
const LIFT = autumn(3, '加装电梯不再难\n委员周岩建议，简化加装电梯审批流程，实行一站式办理。');

describe('format', () => {
  it('escapes <, > and & in the answer, titles, passages and notices', () => {
    const html = renderAnswer(
      {
        answer: 'a < b && c > d [1]',
        refused: false,
        notices: ['LLM <offline> & extractive'],
        citations: [{ n: 1, docId: 'd', title: 'T <&> "q"', date: '2026-01-26', url: 'https://x.org/?a=1&b="2"', chunkId: 'd#0', text: '<script>alert(1)</script> & more' }],
      },
      'en',
    );
    const parsed = parseTelegramHtml(html);
    expect(parsed.text).toContain('a < b && c > d [1]');
    expect(parsed.text).toContain('LLM <offline> & extractive');
    expect(parsed.text).toContain('T <&> "q" · 2026-01-26');
    expect(parsed.text).toContain('[1] <script>alert(1)</script> & more');
    expect(parsed.entities.map((entity) => entity.type)).toEqual(['italic', 'bold', 'text_link', 'expandable_blockquote', 'bold']);
    expect(parsed.entities.find((entity) => entity.type === 'text_link')?.url).toBe('https://x.org/?a=1&b="2"');
  });

  it('writes the source list in the question language and links only http(s) URLs', () => {
    const citations = [{ n: 1, docId: 'd', title: '标题', date: null, url: null, chunkId: 'd#0', text: '原文。' }];
    expect(htmlToPlain(renderAnswer({ answer: '原文。[1]', refused: false, citations }, 'zh'))).toBe('原文。[1]\n\n来源\n标题\n[1] 原文。');
    expect(renderAnswer({ answer: 'No.', refused: true, citations: [] }, 'en')).toBe('No.');
    expect(linkedTitle('t', 'javascript:alert(1)')).toBe('t');
    expect(escapeHtml('<&>')).toBe('&lt;&amp;&gt;');
  });

  it('groups the sources by article: each title and date once, linked when the URL is known, each passage in its own quote', () => {
    const answer = '林晓岚：推行助餐服务进楼门，对高龄老人给予分级补贴。[1]\n林晓岚：由区人社部门牵头开设护理员培训班，三年内培训五百人。[2]\n周岩：简化加装电梯审批流程，实行一站式办理。[3]';
    const parsed = parseTelegramHtml(renderAnswer({ answer, refused: false, citations: [LIFT, CARE, STAFF] }, 'zh'));
    const sources = parsed.text.slice(parsed.text.indexOf('来源'));
    for (const title of [CARE.title, LIFT.title]) expect(sources.split(title)).toHaveLength(2);
    expect(sources.indexOf(CARE.title)).toBeLessThan(sources.indexOf('[1]'));
    expect(sources.indexOf('[2]')).toBeLessThan(sources.indexOf(LIFT.title));
    expect(sources.indexOf(LIFT.title)).toBeLessThan(sources.indexOf('[3]'));
    expect(sources).toContain(`${CARE.title} · 2031-03-02`);
    expect(parsed.entities.filter((entity) => entity.type === 'text_link').map((entity) => entity.url)).toEqual(['https://news.example.org/spring.html']);
    const quotes = covered(parsed, 'expandable_blockquote');
    expect(quotes.map((quote) => quote.slice(0, 3))).toEqual(['[1]', '[2]', '[3]']);
  });

  it('opens each quote on the cited sentence, in bold, then shows it in its passage, underlined', () => {
    const answer = '林晓岚：推行助餐服务进楼门，对高龄老人给予分级补贴。[1]';
    const parsed = parseTelegramHtml(renderAnswer({ answer, refused: false, citations: [CARE] }, 'zh'));
    const [quote] = covered(parsed, 'expandable_blockquote');
    const cited = '她建议，推行助餐服务进楼门，对高龄老人给予分级补贴。';
    expect(quote!.startsWith(`[1] ${cited}\n`)).toBe(true);
    expect(covered(parsed, 'bold')).toContain(cited);
    expect(covered(parsed, 'underline')).toEqual([cited]);
    // The passage follows whole: its heading and the sentences around the cited one.
    expect(quote).toContain(CARE.text);
  });

  it('bolds the cited sentence in place when it opens the passage, without repeating it', () => {
    const answer = '由区人社部门牵头开设护理员培训班，三年内培训五百人。[2]';
    const parsed = parseTelegramHtml(renderAnswer({ answer, refused: false, citations: [STAFF] }, 'zh'));
    const [quote] = covered(parsed, 'expandable_blockquote');
    expect(quote).toBe(`[2] ${STAFF.text}`);
    expect(covered(parsed, 'bold')).toContain('林晓岚建议，由区人社部门牵头开设护理员培训班，三年内培训五百人。');
    expect(covered(parsed, 'underline')).toEqual([]);
  });

  it('finds the cited sentence of a paraphrase and of an English answer, and falls back to the passage start', () => {
    const paraphrase = '林晓岚认为驿站人手普遍不足。[1]';
    let parsed = parseTelegramHtml(renderAnswer({ answer: paraphrase, refused: false, citations: [CARE] }, 'zh'));
    expect(covered(parsed, 'expandable_blockquote')[0]!.startsWith('[1] 她还提到，驿站人手普遍不足。')).toBe(true);

    const english = 'The report says of Lin Xiaolan (林晓岚, 某某养老服务中心主任): “区政协委员、某某养老服务中心主任林晓岚介绍，全区已建成养老驿站120家。”[1]';
    parsed = parseTelegramHtml(renderAnswer({ answer: english, refused: false, citations: [CARE] }, 'en'));
    expect(covered(parsed, 'expandable_blockquote')[0]!.startsWith('[1] 区政协委员、某某养老服务中心主任林晓岚介绍，全区已建成养老驿站120家。')).toBe(true);

    const unrelated = 'The passage is about something else entirely.[1]';
    parsed = parseTelegramHtml(renderAnswer({ answer: unrelated, refused: false, citations: [CARE] }, 'en'));
    expect(covered(parsed, 'expandable_blockquote')[0]).toBe(`[1] ${CARE.text}`);
    expect(covered(parsed, 'bold')).toContain('把驿站办成老人的家');
  });

  it('keeps a streaming preview under the limit', () => {
    expect(previewText('abc')).toBe('abc …');
    expect(previewText('😀'.repeat(3000)).length).toBeLessThanOrEqual(4001);
  });
});
