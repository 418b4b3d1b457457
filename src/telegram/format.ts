import type { AskTrace } from '../answering/ask.js';
import type { Citation } from '../types.js';
import { escapeAttribute, escapeHtml } from './html.js';
import { refusalHelpHtml } from './refusal-help.js';
import { TEXTS, type Language } from './texts.js';

export { escapeHtml } from './html.js';

export type RenderableAnswer = Pick<AskTrace, 'answer' | 'refused' | 'citations' | 'notices' | 'guide'>;

/**
 * An answer as Telegram HTML: the text with its [n] markers, notices in italics, then one
 * source entry per citation (title linked when the URL is known, date) with the cited
 * passage in an expandable blockquote. Everything from the index or the user is escaped.
 */
export function renderAnswer(answer: RenderableAnswer, language: Language): string {
  const blocks = [escapeHtml(answer.answer.trim())];
  const notices = answer.notices?.filter((notice) => notice.trim()) ?? [];
  if (notices.length) blocks.push(notices.map((notice) => `<i>${escapeHtml(notice)}</i>`).join('\n'));
  if (answer.citations.length) {
    const entries = [...answer.citations].sort((a, b) => a.n - b.n).map(renderCitation);
    blocks.push(`<b>${TEXTS[language].sources}</b>\n${entries.join('\n')}`);
  }
  if (answer.refused && answer.guide) blocks.push(refusalHelpHtml(answer.guide, language));
  return blocks.join('\n\n');
}

export function renderCitation(citation: Citation): string {
  const date = citation.date ? ` · ${escapeHtml(citation.date)}` : '';
  const passage = citation.text.replace(/\n{2,}/g, '\n').trim();
  return `[${citation.n}] ${linkedTitle(citation.title, citation.url)}${date}\n<blockquote expandable>${escapeHtml(passage)}</blockquote>`;
}

/** The title, as a link only for http(s) URLs (anything else could be a javascript: trap or rejected). */
export function linkedTitle(title: string, url: string | null | undefined): string {
  const text = escapeHtml(title.trim() || '(untitled)');
  return url && /^https?:\/\//i.test(url) ? `<a href="${escapeAttribute(url)}">${text}</a>` : text;
}

/** What a streaming composer has written so far, as plain text safely under the limit. */
export function previewText(textSoFar: string, limit = 4000): string {
  const text = textSoFar.trim();
  if (text.length <= limit) return `${text} …`;
  const end = /[\uD800-\uDBFF]/.test(text[limit - 1]!) ? limit - 1 : limit; // never half a surrogate pair
  return `${text.slice(0, end)}…`;
}
