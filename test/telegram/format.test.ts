import { describe, expect, it } from 'vitest';
import { escapeHtml, linkedTitle, previewText, renderAnswer } from '../../src/telegram/format.js';
import { htmlToPlain } from '../../src/telegram/html.js';
import { parseTelegramHtml } from '../support/fake-telegram.js';

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
    expect(parsed.text).toContain('[1] T <&> "q" · 2026-01-26');
    expect(parsed.text).toContain('<script>alert(1)</script> & more');
    expect(parsed.entities.map((entity) => entity.type)).toEqual(['italic', 'bold', 'text_link', 'expandable_blockquote']);
    expect(parsed.entities.find((entity) => entity.type === 'text_link')?.url).toBe('https://x.org/?a=1&b="2"');
  });

  it('writes the source list in the question language and links only http(s) URLs', () => {
    const citations = [{ n: 1, docId: 'd', title: '标题', date: null, url: null, chunkId: 'd#0', text: '原文' }];
    expect(htmlToPlain(renderAnswer({ answer: '答案[1]', refused: false, citations }, 'zh'))).toBe('答案[1]\n\n来源\n[1] 标题\n原文');
    expect(renderAnswer({ answer: 'No.', refused: true, citations: [] }, 'en')).toBe('No.');
    expect(linkedTitle('t', 'javascript:alert(1)')).toBe('t');
    expect(escapeHtml('<&>')).toBe('&lt;&amp;&gt;');
  });

  it('keeps a streaming preview under the limit', () => {
    expect(previewText('abc')).toBe('abc …');
    expect(previewText('😀'.repeat(3000)).length).toBeLessThanOrEqual(4001);
  });
});
