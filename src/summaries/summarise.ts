import { splitSentences } from '../chunking/sentences.js';
import type { Person } from '../corpus/people.js';
import { citationFor } from '../answering/citation.js';
import { inArticleOrder, proposalsOf } from '../answering/proposals.js';
import { chineseDate } from '../index/context.js';
import type { ArticleIndex } from '../index/article-index.js';
import type { Citation } from '../types.js';
import { shortProposal } from './clauses.js';

/** A cited line of a summary: text with its citation number. */
export interface SummaryLine {
  text: string;
  n: number;
}

export interface MemberSummary {
  name: string;
  affiliation: string;
  role: string;
  sector?: string;
  /** Where the article introduces the member. */
  introduction: SummaryLine;
  /** Their main proposals, in the article's order. */
  proposals: SummaryLine[];
}

/** A digest of one forum session (one article). */
export interface ForumSummary {
  docId: string;
  title: string;
  date: string | null;
  session: string | null;
  /** The session's theme, from the opening sentence. */
  opening: SummaryLine | null;
  members: MemberSummary[];
  citations: Citation[];
  /** Identifies this version of the article: a subscriber gets each (chat, contentHash) once. */
  contentHash: string;
}

const MAX_PROPOSALS = 3;
/** A proposal in a digest line: whole clauses up to this many characters (a digest fits a phone screen). */
const PROPOSAL_CHARS = 36;

/**
 * Recovers the article's structure without a model: the opening sentence (date, session,
 * theme), then each member as the article introduces them, with the sentences where they
 * propose something (their own "建议", or a pronoun's), each cited to its passage.
 */
export function summariseDocument(index: ArticleIndex, docId: string): ForumSummary {
  const document = index.corpus.documents.get(docId);
  if (!document) throw new Error(`No article with id ${docId} in the index.`);
  const chunks = index.corpus.chunks.filter((chunk) => chunk.docId === docId);
  const citations: Citation[] = [];
  const cite = (start: number): number => {
    const chunk = chunks.find((c) => c.start <= start && start < c.end) ?? chunks[0]!;
    const existing = citations.find((citation) => citation.chunkId === chunk.id);
    if (existing) return existing.n;
    const n = citations.length + 1;
    citations.push(citationFor(document, chunk, n));
    return n;
  };

  const sentences = splitSentences(document.text);
  const first = sentences[0];
  const opening = first ? { text: document.text.slice(first.start, first.end), n: cite(first.start) } : null;

  const members = document.people.map((person): MemberSummary => {
    const introduction = sentences.find((s) => s.start <= person.start && person.start < s.end);
    const introductionLine = { text: `${person.affiliation}${person.role}`, n: cite(introduction?.start ?? person.start) };
    const proposals = inArticleOrder(proposalsOf(document, person, MAX_PROPOSALS)).map((proposal) => ({
      text: shortProposal(proposal.text, person, PROPOSAL_CHARS),
      n: cite(proposal.start),
    }));
    return { name: person.name, affiliation: person.affiliation, role: person.role, sector: person.sector, introduction: introductionLine, proposals };
  });

  return {
    docId,
    title: document.title,
    date: document.date ?? null,
    session: document.session ?? null,
    opening,
    members,
    citations,
    contentHash: document.contentHash,
  };
}

/** The digest as plain text (CLI); the bot renders the same structure as Telegram HTML. */
export function summaryToText(summary: ForumSummary): string {
  const lines: string[] = [];
  lines.push(`${chineseDate(summary.date ?? undefined) || summary.date || ''} ${summary.session ?? summary.title}`.trim());
  if (summary.opening) lines.push(`${summary.opening.text}[${summary.opening.n}]`);
  for (const member of summary.members) {
    lines.push('', `${member.name}（${member.affiliation}${member.role}${member.sector ? `，${member.sector}` : ''}）[${member.introduction.n}]`);
    for (const proposal of member.proposals) lines.push(`  · ${proposal.text}[${proposal.n}]`);
  }
  lines.push('', `Sources: ${summary.title}${summary.date ? ` (${summary.date})` : ''}`);
  for (const citation of summary.citations) {
    const excerpt = citation.text.replace(/\s+/g, ' ');
    lines.push(`[${citation.n}] ${excerpt.length > 60 ? `${excerpt.slice(0, 60)}…` : excerpt}`);
  }
  return lines.join('\n');
}

/** The most recent forum article (by date, then id). */
export function latestDocumentId(index: ArticleIndex): string | undefined {
  return [...index.corpus.documents.values()].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || b.id.localeCompare(a.id))[0]?.id;
}

export interface SessionOverview {
  docId: string;
  date: string | null;
  session: string | null;
  title: string;
  members: string[];
}

export function overviewToText(sessions: SessionOverview[]): string {
  return sessions
    .map((session) => [`${chineseDate(session.date ?? undefined) || session.date || ''} ${session.session ?? session.title}`.trim(), `  ${session.members.join('；')}`].join('\n'))
    .join('\n\n');
}

/** An overview across every indexed session, newest first: date, session, who spoke. */
export function overview(index: ArticleIndex): SessionOverview[] {
  return [...index.corpus.documents.values()]
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
    .map((document) => ({
      docId: document.id,
      date: document.date ?? null,
      session: document.session ?? null,
      title: document.title,
      members: document.people.map((person) => `${person.name}（${person.affiliation}${person.role}）`),
    }));
}
