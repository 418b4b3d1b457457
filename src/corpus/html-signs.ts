/**
 * Is this text a web page? A page saved under a .txt or .md name must not be indexed with its
 * tags (answers starting "<p>", a source titled "<"). The signs are general: a doctype or an
 * <html>/<body> element, or HTML tags in large numbers — not a stray <br> in a Markdown file.
 */

const DOCTYPE = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<!doctype\s+html\b/i;
const DOCUMENT_ELEMENT = /<(html|body)(?:\s[^<>]*)?>/i;
// Elements of page structure and of text markup; a tag with another name may be prose ("<城市更新>").
const TAG = /<\/?(?:a|article|aside|b|blockquote|body|br|dd|div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|i|iframe|img|input|li|link|main|meta|nav|ol|p|script|section|small|span|strong|style|sub|sup|table|tbody|td|th|thead|title|tr|u|ul)(?:\s[^<>]*)?\/?>/gi;
/** Fewer tags than this are markup inside a Markdown file, not a page. */
const MIN_TAGS = 5;

/** Why the text is HTML ("it begins with <!DOCTYPE html>"), or undefined when it is not. */
export function htmlSign(text: string): string | undefined {
  if (DOCTYPE.test(text)) return 'it begins with <!DOCTYPE html>';
  const element = DOCUMENT_ELEMENT.exec(text);
  if (element) return `it has an <${element[1]!.toLowerCase()}> element`;
  const tags = text.match(TAG) ?? [];
  if (tags.length < MIN_TAGS) return undefined;
  const lines = text.split('\n').filter((line) => line.trim()).length;
  const markup = tags.reduce((sum, tag) => sum + tag.length, 0);
  // A tag on every other line, or a twentieth of the characters being markup: Chinese prose is
  // dense, so a page of <p> paragraphs has few tag characters but a tag on every line.
  if (tags.length >= lines * 0.5 || markup >= text.length * 0.05) return `it has ${tags.length} HTML tags in ${lines} lines`;
  return undefined;
}
