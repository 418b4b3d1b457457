import { escapeHtml, parseHtml, type PlacedTag } from './html.js';

/** Telegram's limit for a message: UTF-16 units of the text after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;

// Break quality, best first: a blank line, a line end, a sentence end (with its [n] markers), a space or comma.
const PARAGRAPH = 4;
const LINE = 3;
const SENTENCE = 2;
const WORD = 1;

/**
 * Splits Telegram HTML into messages of at most `limit` visible characters. Cuts fall between
 * characters of the visible text, never inside a tag, an entity, a surrogate pair or an [n] marker;
 * elements open at a cut are closed at the end of one part and reopened at the start of the next.
 */
export function splitHtml(html: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const { text, tags } = parseHtml(html);
  if (!text.trim()) return [];
  if (text.length <= limit) return [html.trim()];

  const cuts = [0];
  for (let start = 0; text.length - start > limit; ) {
    start = chooseCut(text, start, limit);
    cuts.push(start);
  }
  cuts.push(text.length);
  return emitParts(text, tags, cuts);
}

function chooseCut(text: string, start: number, limit: number): number {
  const end = start + limit;
  // Short parts waste messages: a good break must keep at least half the room used.
  const earliest = start + Math.max(1, Math.floor(limit / 2));
  // One pass from the end: the latest break of each quality; the best quality wins.
  const latest: (number | undefined)[] = [];
  for (let q = end; q >= earliest; q--) {
    const quality = breakQuality(text, q);
    if (quality === PARAGRAPH) return q;
    if (quality > 0) latest[quality] ??= q;
  }
  return latest[LINE] ?? latest[SENTENCE] ?? latest[WORD] ?? hardCut(text, start, end);
}

function breakQuality(text: string, q: number): number {
  const before = text[q - 1];
  if (before === '\n') return text[q - 2] === '\n' ? PARAGRAPH : LINE;
  if (insideMarker(text, q) || isLowSurrogate(text.charCodeAt(q))) return 0;
  if (endsSentence(text, q)) return SENTENCE;
  if (before !== undefined && /[\s，,、：:]/.test(before)) return WORD;
  return 0;
}

function endsSentence(text: string, q: number): boolean {
  if (/^\[\d+\]/.test(text.slice(q, q + 8))) return false; // more citation markers follow: keep them with the sentence
  const match = /([。！？；…!?;.])[”’"」』）)]*(?:\[\d+\])*$/.exec(text.slice(Math.max(0, q - 24), q));
  if (!match) return false;
  // ASCII punctuation ends a sentence only before a space ("3.5", "e.g" do not).
  return /[。！？；…]/.test(match[1]!) || q >= text.length || /\s/.test(text[q]!);
}

/** True when q falls inside "[12]". */
function insideMarker(text: string, q: number): boolean {
  let open = q - 1;
  while (open >= 0 && q - open <= 5 && /\d/.test(text[open]!)) open--;
  if (open < 0 || text[open] !== '[') return false;
  return /^\[\d+\]/.test(text.slice(open, open + 7));
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function hardCut(text: string, start: number, end: number): number {
  let q = end;
  while (q > start + 1 && (isLowSurrogate(text.charCodeAt(q)) || insideMarker(text, q))) q--;
  return q;
}

function emitParts(text: string, tags: PlacedTag[], cuts: number[]): string[] {
  const parts: string[] = [];
  const stack: PlacedTag[] = [];
  let t = 0;
  for (let p = 0; p < cuts.length - 1; p++) {
    const a = cuts[p]!;
    const b = cuts[p + 1]!;
    const isLast = p === cuts.length - 2;
    // Whitespace at either end of a part is dropped (Telegram would trim it anyway).
    let from = a;
    while (from < b && /\s/.test(text[from]!)) from++;
    let to = b;
    while (to > from && /\s/.test(text[to - 1]!)) to--;
    const slice = (x: number, y: number) => escapeHtml(text.slice(Math.max(x, from), Math.min(y, to)));

    let out = stack.map((tag) => tag.raw).join('');
    let position = a;
    // A closing tag at the cut ends this part; an opening tag at the cut starts the next.
    while (t < tags.length) {
      const tag = tags[t]!;
      if (tag.closing ? tag.at > b : tag.at >= b && !isLast) break;
      out += slice(position, tag.at) + tag.raw;
      position = tag.at;
      if (tag.closing) stack.pop();
      else stack.push(tag);
      t++;
    }
    out += slice(position, b);
    out += [...stack].reverse().map((tag) => `</${tag.name}>`).join('');
    if (from < to) parts.push(out);
  }
  return parts;
}
