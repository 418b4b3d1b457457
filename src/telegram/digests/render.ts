/**
 * Digests and the overview as Telegram HTML, and as plain text for the CLI. A digest is made to
 * be read on a phone: the session (its theme) once, one line per member — name, organisation,
 * post, then their proposals as short cited clauses — and the passages behind one expandable
 * "sources" quote, the cited sentences underlined. Everything from the articles is escaped.
 * Splitting under 4096 is send.ts's job (splitHtml), which never cuts a marker or a tag.
 */
import { citedSentences, claimsByCitation } from '../../answering/cited-sentences.js';
import { englishName } from '../../corpus/name-spellings.js';
import { chineseDate } from '../../index/context.js';
import { articleLine, articlesOf, escapeHtml, markedPassage, shownPassage } from '../format.js';
import type { Citation } from '../../types.js';
import type { Digest, DigestLanguage } from '../../summaries/digest.js';
import { summaryToText, type ForumSummary, type SessionOverview } from '../../summaries/summarise.js';

const TEXTS = {
  zh: {
    digest: '论坛摘要',
    updated: '（报道已更新）',
    theme: '主题：',
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
  const heading = oneLine(summary.session ?? summary.title);
  // The opening sentence states the session and its theme; when the heading already holds the
  // theme it is not repeated, only cited.
  const opening = summary.opening;
  const cited = opening && statesTheme(heading, opening.text) ? `[${opening.n}]` : '';
  const lines = [first, `<b>${escapeHtml(heading)}</b>${cited}`];
  if (opening && !cited) lines.push(`${escapeHtml(texts.theme)}${escapeHtml(oneLine(opening.text))}[${opening.n}]`);
  return lines.join('\n');
}

/** The heading names the theme the opening sentence quotes (“大力发展新质生产力…”). */
function statesTheme(heading: string, opening: string): boolean {
  const themes = [...opening.matchAll(/“([^”]{4,})”/g)].map((match) => oneLine(match[1]!));
  return themes.length > 0 && themes.some((theme) => heading.includes(theme));
}

/**
 * The passages the text cites, behind one expandable quote per article (a digest cites one):
 * the article's title (linked), publisher and date, then each passage with the sentences the
 * text cites underlined.
 */
function sources(claims: ReadonlyMap<number, readonly string[]>, citations: readonly Citation[], language: DigestLanguage, publisher?: string): string {
  const groups = articlesOf(citations.filter((citation) => claims.has(citation.n)));
  if (groups.length === 0) return '';
  const label = `<b>${escapeHtml(TEXTS[language].sources)}</b>`;
  const blocks = groups.map((group) => {
    const passages = group.map((citation) => {
      const passage = shownPassage(citation);
      return `[${citation.n}] ${markedPassage(passage, citedSentences(passage, claims.get(citation.n) ?? []))}`;
    });
    const details = publisher && groups.length === 1 ? [publisher] : [];
    // The article line opens the quote, so the collapsed digest ends in one short block.
    return `<blockquote expandable>${label}：${articleLine(group[0]!, details)}\n${passages.join('\n\n')}</blockquote>`;
  });
  return blocks.join('\n');
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** One line per member: name (and pinyin in English), organisation and post, then their proposals. */
function memberLine(member: ForumSummary['members'][number], language: DigestLanguage): string {
  const post = `${member.affiliation}${member.role}${member.sector ? `，${member.sector}` : ''}`;
  const name = language === 'en' ? `${englishName(member.name)} ${member.name}` : member.name;
  // The introduction is cited only when no proposal cites the same passage.
  const introduction = member.proposals.some((proposal) => proposal.n === member.introduction.n) ? '' : `[${member.introduction.n}]`;
  const proposals = member.proposals.map((proposal) => `${escapeHtml(oneLine(proposal.text))}[${proposal.n}]`);
  const said = proposals.length ? `：${proposals.join('；')}。` : '';
  return `<b>${escapeHtml(name)}</b>${post ? `（${escapeHtml(post)}）` : ''}${introduction}${said}`;
}

/** What each citation of an extractive digest backs: the opening, members' introductions, their proposals. */
function summaryClaims(summary: ForumSummary): Map<number, string[]> {
  const claims = new Map<number, string[]>();
  const add = (n: number, text: string) => claims.set(n, [...(claims.get(n) ?? []), text]);
  if (summary.opening) add(summary.opening.n, summary.opening.text);
  for (const member of summary.members) {
    add(member.introduction.n, `${member.affiliation}${member.role}${member.name}`);
    for (const proposal of member.proposals) add(proposal.n, proposal.text);
  }
  return claims;
}

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
    blocks.push(sources(claimsByCitation(digest.llm.text), digest.llm.citations, language, digest.publisher));
  } else {
    const members = summary.members.map((member) => memberLine(member, language));
    blocks.push(members.length ? members.join('\n') : escapeHtml(texts.noMembers));
    blocks.push(sources(summaryClaims(summary), summary.citations, language, digest.publisher));
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
