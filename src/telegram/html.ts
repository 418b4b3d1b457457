/** A tag of Telegram HTML, placed at an offset of the visible text. */
export interface PlacedTag {
  /** UTF-16 offset in the visible text where the tag stands. */
  at: number;
  raw: string;
  name: string;
  closing: boolean;
}

export interface ParsedHtml {
  /** What Telegram shows (and counts): tags removed, entities decoded. */
  text: string;
  /** In source order; elements with no visible content are dropped. */
  tags: PlacedTag[];
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>|&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]+));/g;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For attribute values (href): quotes too. */
export function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

/** Parses the HTML subset the bot writes (well-formed, escaped). Unknown `&…;` stay literal. */
export function parseHtml(html: string): ParsedHtml {
  let text = '';
  const tags: PlacedTag[] = [];
  const open: number[] = []; // indexes into tags
  let last = 0;
  for (const match of html.matchAll(TOKEN)) {
    text += html.slice(last, match.index);
    last = match.index + match[0].length;
    const [raw, slash, name, decimal, hex, named] = match;
    if (name !== undefined) {
      const closing = slash === '/';
      const lower = name.toLowerCase();
      if (closing) {
        const opener = open.pop();
        // An element with nothing visible inside: drop both tags so a split never has to place them.
        if (opener !== undefined && opener === tags.length - 1 && tags[opener]!.at === text.length) tags.pop();
        else tags.push({ at: text.length, raw, name: lower, closing });
      } else {
        open.push(tags.length);
        tags.push({ at: text.length, raw, name: lower, closing });
      }
    } else if (decimal !== undefined || hex !== undefined) {
      const codePoint = decimal !== undefined ? Number(decimal) : Number.parseInt(hex!, 16);
      text += codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : raw;
    } else {
      text += NAMED[named!.toLowerCase()] ?? raw;
    }
  }
  text += html.slice(last);
  return { text, tags };
}

/** The message as plain text: the fallback when Telegram rejects the formatting. */
export function htmlToPlain(html: string): string {
  return parseHtml(html).text;
}

/** Length as Telegram counts it for the 4096 limit: UTF-16 units after entity parsing. */
export function visibleLength(html: string): number {
  return parseHtml(html).text.length;
}
