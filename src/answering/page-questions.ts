import { chineseDate } from '../index/context.js';
import type { StoredDocument } from '../index/store.js';
import type { ArticleIndex } from '../index/article-index.js';
import type { Answer, RetrievedChunk } from '../types.js';
import { citationFor } from './citation.js';

// Questions about the page rather than the forum: copyright and reprinting, editors and
// proofreaders, related-reading links, report hotlines and tip-off mailboxes, app downloads.
// The cleaner removes exactly this furniture, so the bot never answers from it.
const ABOUT_THE_PAGE =
  /版权|转载|摘编|责任编辑|责编|编辑是|校对|终审|相关阅读|延伸阅读|推荐阅读|举报(?:电话|邮箱|方式)|报料|爆料|客户端|(?:扫码)?下载(?:客户端|APP|app)|扫码下载|\b(?:copyright|republish|reprint|related reading|download|hotline|tip-?off|proofread|editor)s?\b|\b(?:listed|shown) on (?:that|the|this) page\b/i;

// Who wrote the report: 谁写的, 哪位记者, "who wrote", "reporter", "byline".
const ASKS_REPORTER = /谁写的|作者是谁|哪位记者|记者是谁|记者叫|谁报道的|谁采写|\bwho (?:wrote|reported|covered)\b|\breporters?\b|\bauthors?\b|\bbyline\b/i;

export function asksAboutPage(question: string): boolean {
  return ABOUT_THE_PAGE.test(question);
}

export function asksReporter(question: string): boolean {
  return ASKS_REPORTER.test(question);
}

/**
 * "这篇报道是谁写的?": the byline, from the article's metadata, with the article (its opening
 * passage) cited. Undefined when the article names no reporter.
 */
export function reporterAnswer(index: ArticleIndex, passages: RetrievedChunk[], language: 'zh' | 'en'): Answer | undefined {
  const document = passages.map((passage) => index.corpus.documents.get(passage.docId)).find((d): d is StoredDocument => Boolean(d?.reporters?.length));
  if (!document) return undefined;
  const opening = index.corpus.chunksOf(document.id)[0];
  if (!opening) return undefined;
  const names = document.reporters!.join('、');
  const when = chineseDate(document.date);
  const text =
    language === 'zh'
      ? `《${document.title}》${when ? `（${when}）` : ''}的记者是${names}。[1]`
      : `The report “${document.title}”${document.date ? ` (${document.date})` : ''} is by ${names}.[1]`;
  return { text, refused: false, mode: 'extractive', citations: [citationFor(document, opening, 1)] };
}
