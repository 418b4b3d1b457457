/**
 * A saved news page → the report's text, one paragraph a line, and what the page says about
 * itself (page-metadata.ts). Mozilla's Readability (Firefox Reader View) finds the article
 * among the page's blocks by text and link density, over linkedom's DOM; semantic chrome
 * (<nav>, <aside>, a <header>/<footer> outside the article, scripts, forms) is taken out first so
 * that Readability's retries for short Chinese reports cannot bring it back. What is left of
 * the page's furniture inside the article (editor lines, "相关推荐" lists) goes in the
 * cleaner (clean.ts), which runs on this text as on any other article.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { ArticleFileError } from '../errors.js';
import { forumDate } from './dates.js';
import { toIsoDate, type ArticleMetadata } from './metadata.js';
import { pageMetadata } from './page-metadata.js';

export interface WebPage {
  /** `date` is the forum's: the day the lede names, in the year of the page's publication date (or that date). */
  metadata: Pick<ArticleMetadata, 'title' | 'date' | 'publisher' | 'url'>;
  /** The page's own publication date, when it gives one. */
  published?: string;
  /** The article's text, one block (paragraph, heading, list item) a line. */
  text: string;
}

// JSON-LD stays: Readability reads the headline, site and publication time from it.
const INVISIBLE = 'script:not([type="application/ld+json"]), style, noscript, template';
const CHROME = [
  'iframe', 'object', 'embed', 'svg', 'canvas', 'form', 'button', 'select',
  'textarea', 'input', 'nav', 'aside', 'menu', 'dialog',
  '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]', '[role="complementary"]', '[role="search"]', '[hidden]',
].join(', ');
const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'CAPTION', 'CENTER', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION',
  'FIGURE', 'FOOTER', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY',
  'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL',
]);
/** Chinese reports are short in characters: Readability's default (500, for English) would make it retry without its filters. */
const MIN_ARTICLE_CHARS = 200;
/** An article has at least one paragraph of prose: this long, with punctuation in it. */
const MIN_PARAGRAPH_CHARS = 20;
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/**
 * The article in a web page, or an ArticleFileError saying why there is none. `what` names the
 * page in messages ("the web page", "its text is HTML (…), but the page").
 */
export function readWebPage(html: string, file: string, what = 'the web page'): WebPage {
  let document: Document;
  try {
    document = parsePage(html);
  } catch (error) {
    throw new ArticleFileError(file, `${what} could not be parsed as HTML; skipped`, { cause: error });
  }
  const metadata = pageMetadata(document);
  for (const element of [...document.querySelectorAll(INVISIBLE)]) element.remove();
  const pageChars = squeezed(document.body?.textContent ?? '').length;
  for (const element of [...document.querySelectorAll(CHROME)]) element.remove();
  for (const element of [...document.querySelectorAll('header, footer')]) {
    if (!element.parentElement?.closest('article, main')) element.remove();
  }
  let text = '';
  try {
    const article = new Readability<Node>(document, { serializer: (node) => node, charThreshold: MIN_ARTICLE_CHARS }).parse();
    if (article?.content) text = textLines(article.content);
    metadata.title ??= article?.title?.trim() || undefined;
    metadata.date ??= toIsoDate(article?.publishedTime ?? '');
    metadata.publisher ??= article?.siteName?.trim() || undefined;
  } catch (error) {
    throw new ArticleFileError(file, `${what} could not be read: the article extractor failed (${(error as Error).message}); skipped`, { cause: error });
  }
  if (!hasParagraph(text)) {
    const reason = pageChars === 0 ? 'has no text at all' : `has no article in it: its ${pageChars} characters of text are menus, links or short lines, not paragraphs`;
    throw new ArticleFileError(file, `${what} ${reason}; skipped`);
  }
  const published = metadata.date;
  // As for a page saved as text (clean.ts): the report's lede dates the forum, the page its year.
  const paragraphs = text.split('\n').filter(isParagraph);
  return { metadata: { ...metadata, date: forumDate(paragraphs, published) }, published, text };
}

/** linkedom needs a whole document; a fragment (a saved article body) is given one. */
function parsePage(html: string): Document {
  const whole = /<html[\s>]/i.test(html) && /<body[\s>]/i.test(html);
  const source = whole ? html : `<!DOCTYPE html><html><head></head><body>${html.replace(/<\/?(?:html|body|!doctype)[^>]*>/gi, '')}</body></html>`;
  const { document } = parseHTML(source);
  if (!document.documentElement || !document.body) throw new Error('no document element');
  return document as unknown as Document;
}

/** The text of the article's DOM with a line break at each block's edges and at <br>. */
function textLines(root: Node): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      parts.push(inlineText(node.nodeValue ?? ''));
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = (node as Element).tagName.toUpperCase();
    if (tag === 'BR') return void parts.push('\n');
    const block = BLOCKS.has(tag);
    if (block) parts.push('\n');
    if (tag === 'PRE') parts.push(node.textContent ?? '');
    else for (const child of node.childNodes) walk(child);
    if (block) parts.push('\n');
  };
  walk(root);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * Source line breaks are spaces in HTML, except between two Chinese characters, where a
 * browser's space would be a gap in the sentence ("审批流程，\n并探索" is one sentence).
 */
function inlineText(text: string): string {
  return text.replace(/\s+/g, (space, at: number) => {
    const before = text[at - 1] ?? '';
    const after = text[at + space.length] ?? '';
    return space.includes('\n') && CJK.test(before) && CJK.test(after) ? '' : ' ';
  });
}

function hasParagraph(text: string): boolean {
  return text.split('\n').some(isParagraph);
}

/** Prose, not a headline or a "来源：… 发布时间：…" line: long enough, with a sentence's punctuation in it. */
function isParagraph(line: string): boolean {
  return line.length >= MIN_PARAGRAPH_CHARS && /[。！？；!?;]|[,.](?:\s|$)/.test(line);
}

function squeezed(text: string): string {
  return text.replace(/\s+/g, '');
}
