import { describe, expect, it } from 'vitest';
import { renderAnswer } from '../../src/telegram/format.js';
import { htmlToPlain } from '../../src/telegram/html.js';
import { splitHtml } from '../../src/telegram/split.js';
import type { Citation } from '../../src/types.js';
import { parseTelegramHtml } from '../support/fake-telegram.js';

const sentence = (i: number) => `第${i}条建议：推动“6G+AI”融合<发展> & 开放，建设国家级中试平台。[${(i % 3) + 1}]`;

function longAnswer(chars: number): string {
  let text = '';
  for (let i = 1; text.length < chars; i++) text += sentence(i) + (i % 7 === 0 ? '\n' : '');
  return text;
}

const citation = (n: number, text: string): Citation => ({
  n, docId: '000', title: `报道 ${n} <标题> & “引号”`, date: '2026-01-26', url: `https://example.com/a?x=1&y=${n}`, chunkId: `000#${n}`, text,
});

/** Every part is what Telegram would accept: valid HTML, non-empty, at most 4096 visible UTF-16 units. */
function expectValidParts(parts: string[], limit = 4096): void {
  for (const part of parts) {
    const parsed = parseTelegramHtml(part); // throws "can't parse entities" like Telegram
    expect(parsed.text.trim().length).toBeGreaterThan(0);
    expect(parsed.text.length).toBeLessThanOrEqual(limit);
  }
}

describe('splitHtml', () => {
  it('keeps a short message whole', () => {
    expect(splitHtml('<b>hi</b> &amp; bye')).toEqual(['<b>hi</b> &amp; bye']);
    expect(splitHtml('  \n ')).toEqual([]);
  });

  it('splits a 5,000-character cited answer into valid parts at sentence ends, keeping [n] with its sentence', () => {
    const answer = longAnswer(5000);
    const html = renderAnswer({ answer, refused: false, citations: [citation(1, '段落一 <a> & b'), citation(2, '段落二'), citation(3, '段落三')] }, 'zh');
    const parts = splitHtml(html);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expectValidParts(parts);
    // Nothing lost or reordered (only whitespace at the cuts).
    const plain = parts.map(htmlToPlain).join('').replace(/\s+/g, '');
    expect(plain).toBe(htmlToPlain(html).replace(/\s+/g, ''));
    // Each cut falls after a sentence's marker (or a line end), never inside "[n]".
    for (const part of parts.slice(0, -1)) expect(htmlToPlain(part)).toMatch(/(。\[\d\]|\n)\s*$|。\[\d\]$/);
    for (const part of parts.slice(1)) expect(htmlToPlain(part)).toMatch(/^第\d+条|^来源|^\[\d\]/);
  });

  it('closes and reopens tags cut through, and never cuts a tag, an entity or a surrogate pair', () => {
    const quote = '😀 a&amp;b &lt;x&gt; '.repeat(400); // one long blockquote, emoji are 2 UTF-16 units
    const html = `<b>Sources</b>\n[1] <a href="https://e.com/?a=1&amp;b=2">title</a>\n<blockquote expandable>${quote}</blockquote>`;
    const parts = splitHtml(html, 1000);
    expectValidParts(parts, 1000);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts.slice(1)) expect(part.startsWith('<blockquote expandable>')).toBe(true);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('</blockquote>')).toBe(true);
    expect(parts.map(htmlToPlain).join('').replace(/\s+/g, '')).toBe(htmlToPlain(html).replace(/\s+/g, ''));
  });

  it('hard-cuts text with no break at all', () => {
    const parts = splitHtml('x'.repeat(9000));
    expect(parts.map((part) => part.length)).toEqual([4096, 4096, 808]);
  });

  it('counts UTF-16 units after entity parsing, not bytes or raw characters', () => {
    const html = '&amp;'.repeat(4096); // 20,480 raw characters, 4,096 visible
    expect(splitHtml(html)).toHaveLength(1);
    const astral = '𝔸'.repeat(2049); // 4,098 UTF-16 units
    const parts = splitHtml(astral);
    expect(parts).toHaveLength(2);
    expectValidParts(parts);
    expect(parts.join('')).toBe(astral);
  });
});
