/**
 * Digests and the overview as Telegram HTML (as answers are: everything from the articles escaped,
 * [n] markers in the text, then each cited passage in an expandable blockquote), and as plain text
 * for the CLI. Splitting under 4096 is send.ts's job (splitHtml), which never cuts a marker or a tag.
 */
import { chineseDate } from '../../index/context.js';
import { escapeHtml, linkedTitle, renderCitation } from '../format.js';
import type { Citation } from '../../types.js';
import type { Digest, DigestLanguage } from '../../summaries/digest.js';
import { summaryToText, type ForumSummary, type SessionOverview } from '../../summaries/summarise.js';

const TEXTS = {
  zh: {
    digest: '论坛摘要',
    updated: '（报道已更新）',
    theme: '主题：',
    members: '发言委员',
    noMembers: '报道中没有找到发言委员。',
    sources: '来源',
    written: (model: string) => `由大模型（${model}）根据报道撰写，每句话均已与所引段落核对。`,
    overview: (count: number) => `已收录的论坛（${count} 场）`,
    more: '发送 /summary 日期 查看某一场的摘要，例如：',
  },
  en: {
    digest: 'Forum digest',
    updated: ' (article updated)',
    theme: 'Theme: ',
    members: 'Members who spoke',
    noMembers: 'The report names no members who spoke.',
    sources: 'Sources',
    written: (model: string) => `Written by a language model (${model}) from the report; every sentence was checked against the passage it cites.`,
    overview: (count: number) => `Forum sessions indexed (${count})`,
    more: 'Send /summary <date> for one session’s digest, e.g.',
  },
} as const;

export interface DigestRenderOptions {
  /** The article was posted before in an earlier version. */
  updated?: boolean;
}

function when(date: string | null, language: DigestLanguage): string {
  if (!date) return '';
  return language === 'zh' ? chineseDate(date) || date : date;
}

function header(summary: ForumSummary, language: DigestLanguage, options: DigestRenderOptions): string {
  const texts = TEXTS[language];
  const date = when(summary.date, language);
  const first = `<b>${escapeHtml(texts.digest)}${date ? ` · ${escapeHtml(date)}` : ''}</b>${options.updated ? escapeHtml(texts.updated) : ''}`;
  return `${first}\n<b>${escapeHtml(oneLine(summary.session ?? summary.title))}</b>`;
}

/**
 * The cited passages, each in an expandable blockquote as in answers. A digest cites one article,
 * so its title (linked), publisher and date head the list once instead of repeating with every passage.
 */
function sources(citations: readonly Citation[], summary: ForumSummary, language: DigestLanguage, publisher?: string): string {
  if (citations.length === 0) return '';
  const sorted = [...citations].sort((a, b) => a.n - b.n);
  const single = sorted.every((citation) => citation.docId === summary.docId);
  if (!single) return `<b>${escapeHtml(TEXTS[language].sources)}</b>\n${sorted.map(renderCitation).join('\n')}`;
  const first = sorted[0]!;
  const details = [publisher, summary.date].filter(Boolean).map((detail) => escapeHtml(detail!));
  const entries = sorted.map((citation) => `[${citation.n}]\n<blockquote expandable>${escapeHtml(citation.text.replace(/\n{2,}/g, '\n').trim())}</blockquote>`);
  return `<b>${escapeHtml(TEXTS[language].sources)}</b>：${linkedTitle(summary.title, first.url)}${details.length ? ` · ${details.join(' · ')}` : ''}\n${entries.join('\n')}`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** One forum session's digest as Telegram HTML (not yet split). */
export function digestHtml(digest: Digest, options: DigestRenderOptions = {}): string {
  const { summary, language } = digest;
  const texts = TEXTS[language];
  const blocks = [header(summary, language, options)];
  if (digest.mode === 'llm' && digest.llm) {
    const names = summary.members.map((member) => member.name);
    const lines = digest.llm.text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => boldLeadingName(line, names));
    blocks.push(lines.join('\n'));
    blocks.push(`<i>${escapeHtml(texts.written(digest.llm.model))}</i>`);
    blocks.push(sources(digest.llm.citations, summary, language, digest.publisher));
  } else {
    if (summary.opening) blocks.push(`${escapeHtml(texts.theme)}${escapeHtml(oneLine(summary.opening.text))}[${summary.opening.n}]`);
    const members = summary.members.map((member) => {
      const post = `${member.affiliation}${member.role}${member.sector ? `，${member.sector}` : ''}`;
      const lines = [`<b>${escapeHtml(member.name)}</b>${post ? `（${escapeHtml(post)}）` : ''}[${member.introduction.n}]`];
      for (const proposal of member.proposals) lines.push(`• ${escapeHtml(oneLine(proposal.text))}[${proposal.n}]`);
      return lines.join('\n');
    });
    blocks.push(members.length ? `<b>${escapeHtml(texts.members)}</b>\n\n${members.join('\n\n')}` : escapeHtml(texts.noMembers));
    blocks.push(sources(summary.citations, summary, language, digest.publisher));
  }
  return blocks.filter(Boolean).join('\n\n');
}

function boldLeadingName(line: string, names: readonly string[]): string {
  const name = names.find((candidate) => line.startsWith(candidate));
  return name ? `<b>${escapeHtml(name)}</b>${escapeHtml(line.slice(name.length))}` : escapeHtml(line);
}

/** Every indexed session, newest first: date, session, who spoke. */
export function overviewHtml(sessions: readonly SessionOverview[], language: DigestLanguage, heading?: string): string {
  const texts = TEXTS[language];
  const entries = sessions.map((session) => {
    const date = when(session.date, language);
    const title = `${date ? `<b>${escapeHtml(date)}</b> ` : ''}${escapeHtml(oneLine(session.session ?? session.title))}`;
    return session.members.length ? `${title}\n${escapeHtml(session.members.join('；'))}` : title;
  });
  const example = sessions.find((session) => session.date)?.date;
  const blocks = [`<b>${escapeHtml(heading ?? texts.overview(sessions.length))}</b>`, entries.join('\n\n')];
  if (example) blocks.push(escapeHtml(`${texts.more} /summary ${example}`));
  return blocks.join('\n\n');
}

/** The digest as plain text (CLI). */
export function digestText(digest: Digest): string {
  if (digest.mode !== 'llm' || !digest.llm) return summaryToText(digest.summary);
  const { summary, llm } = digest;
  const lines = [`${chineseDate(summary.date ?? undefined) || summary.date || ''} ${summary.session ?? summary.title}`.trim(), '', llm.text, ''];
  lines.push(`(${TEXTS[digest.language].written(llm.model)})`, '', `Sources: ${summary.title}${summary.date ? ` (${summary.date})` : ''}`);
  for (const citation of llm.citations) {
    const excerpt = citation.text.replace(/\s+/g, ' ');
    lines.push(`[${citation.n}] ${excerpt.length > 60 ? `${excerpt.slice(0, 60)}…` : excerpt}`);
  }
  return lines.join('\n');
}
