import type { AskTrace } from '../answering/ask.js';
import { citedSentences, claimsByCitation } from '../answering/cited-sentences.js';
import type { Span } from '../chunking/sentences.js';
import type { Citation } from '../types.js';
import { escapeAttribute, escapeHtml } from './html.js';
import { refusalHelpHtml } from './refusal-help.js';
import { TEXTS, type Language } from './texts.js';

export { escapeHtml } from './html.js';

export type RenderableAnswer = Pick<AskTrace, 'answer' | 'refused' | 'citations' | 'notices' | 'guide'>;

/**
 * An answer as Telegram HTML: the text with its [n] markers, notices in italics, then the
 * sources grouped by article — title (linked when the URL is known) and date once — with each
 * cited passage in an expandable blockquote that opens on the sentence the answer cites, in
 * bold. Everything from the index or the user is escaped.
 */
export function renderAnswer(answer: RenderableAnswer, language: Language): string {
  const blocks = [escapeHtml(answer.answer.trim())];
  const notices = answer.notices?.filter((notice) => notice.trim()) ?? [];
  if (notices.length) blocks.push(notices.map((notice) => `<i>${escapeHtml(notice)}</i>`).join('\n'));
  if (answer.citations.length) blocks.push(`<b>${TEXTS[language].sources}</b>\n${renderSources(answer.answer, answer.citations)}`);
  if (answer.refused && answer.guide) blocks.push(refusalHelpHtml(answer.guide, language));
  return blocks.join('\n\n');
}

/** The citations of `text`, grouped by article in order of first citation, each passage opening on what `text` cites of it. */
function renderSources(text: string, citations: readonly Citation[]): string {
  const claims = claimsByCitation(text);
  return articlesOf(citations)
    .map((group) => [articleLine(group[0]!), ...group.map((citation) => citedQuote(citation, claims.get(citation.n) ?? []))].join('\n'))
    .join('\n');
}

/** Citations grouped by article (docId), groups in order of their first citation number. */
export function articlesOf(citations: readonly Citation[]): Citation[][] {
  const groups = new Map<string, Citation[]>();
  for (const citation of [...citations].sort((a, b) => a.n - b.n)) groups.set(citation.docId, [...(groups.get(citation.docId) ?? []), citation]);
  return [...groups.values()];
}

/** An article once: its title (linked when the URL is known) and date. */
export function articleLine(citation: Pick<Citation, 'title' | 'url' | 'date'>, details: readonly string[] = []): string {
  const rest = [...details, citation.date ?? ''].filter(Boolean).map((detail) => ` · ${escapeHtml(detail)}`).join('');
  return `${linkedTitle(citation.title, citation.url)}${rest}`;
}

/** The stored passage as shown: blank lines squeezed, ends trimmed. */
export function shownPassage(citation: Citation): string {
  return citation.text.replace(/\n{2,}/g, '\n').trim();
}

/**
 * One cited passage in an expandable blockquote: "[n]", the cited sentences in bold, then the
 * passage around them (in place when they open it; else the whole passage after, with them
 * underlined), so the collapsed quote shows what the answer rests on.
 */
export function citedQuote(citation: Citation, claims: readonly string[]): string {
  const passage = shownPassage(citation);
  const cited = citedSentences(passage, claims);
  // Sentences that open the passage are bolded where they stand; others are shown first, then found in place.
  const opensPassage = cited[0]?.start === 0 && cited.every((span, i) => i === 0 || !passage.slice(cited[i - 1]!.end, span.start).trim());
  let body: string;
  if (opensPassage) {
    const end = cited.at(-1)!.end;
    body = `<b>${escapeHtml(passage.slice(0, end))}</b>${escapeHtml(passage.slice(end))}`;
  } else {
    const lead = cited.map((span) => passage.slice(span.start, span.end)).join(' … ');
    body = `<b>${escapeHtml(lead)}</b>\n${markedPassage(passage, cited)}`;
  }
  return `<blockquote expandable>[${citation.n}] ${body}</blockquote>`;
}

/** The passage, escaped, with the given sentences underlined in place. */
export function markedPassage(passage: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += `${escapeHtml(passage.slice(at, span.start))}<u>${escapeHtml(passage.slice(span.start, span.end))}</u>`;
    at = span.end;
  }
  return out + escapeHtml(passage.slice(at));
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
