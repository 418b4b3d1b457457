import { splitSentences } from '../chunking/sentences.js';
import type { Person } from '../corpus/people.js';
import { speakerAt } from '../corpus/people.js';
import { citationFor } from '../answering/citation.js';
import { trimSentence } from '../answering/evidence.js';
import { chineseDate } from '../index/context.js';
import type { ForumIndex } from '../index/forum-index.js';
import type { Citation } from '../types.js';

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

const PROPOSAL = /(建议|提出|呼吁|提案|应当|应该|要|需要|加快|推动|支持|打造|建立|加强|鼓励)/;

const MAX_PROPOSALS = 3;
const PROPOSAL_CHARS = 90;

/**
 * Recovers the article's structure without a model: the opening sentence (date, session,
 * theme), then each member as the article introduces them, with the sentences where they
 * propose something (their own "建议", or a pronoun's), each cited to its passage.
 */
export function summariseDocument(index: ForumIndex, docId: string): ForumSummary {
  const document = index.documents.get(docId);
  if (!document) throw new Error(`No article with id ${docId} in the index.`);
  const chunks = index.chunks.filter((chunk) => chunk.docId === docId);
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
    const proposals = sentences
      .filter((s) => speakerAt(document.people, document.text, s.start, s.end)?.name === person.name)
      .map((span) => ({ span, text: document.text.slice(span.start, span.end) }))
      .filter(({ text }) => !isHeading(text) && PROPOSAL.test(text) && text.length >= 12)
      .map(({ span, text }) => ({ span, text, score: proposalScore(text, person) }))
      .sort((a, b) => b.score - a.score || a.span.start - b.span.start)
      .slice(0, MAX_PROPOSALS)
      .sort((a, b) => a.span.start - b.span.start)
      .map(({ span, text }) => ({ text: shorten(text, person), n: cite(span.start) }));
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

/** A section heading (short, unpunctuated): it introduces the next member, it is not a proposal. */
function isHeading(text: string): boolean {
  return text.length <= 40 && !/[。！？；!?;，,]/.test(text);
}

// "建议" as a verb ("她建议,", "建议扶持"), not the noun in "规划建议中".
const PROPOSING = /(建议|提出|呼吁|提案)(?![中的书稿里])/;

/** Sentences that propose outright, and say more, come first. */
function proposalScore(text: string, person: Person): number {
  let score = 0;
  if (PROPOSING.test(text)) score += 2;
  if (/^[“"]?(她|他|此外|同时|最后|一是|二是|三是)/.test(text) || text.includes(person.name)) score += 1;
  return score + Math.min(text.length, 120) / 120;
}

/** Keeps the proposal itself: what follows "她建议," / "王磊建议" at the sentence start, cut to the limit. */
function shorten(text: string, person: Person): string {
  const named = new RegExp(`${person.name}(?:还|也|进一步)?(?:建议|提出|指出|表示|认为)[，,:：]?`).exec(text);
  const lead = /^[“"]?(?:[^，,。“”]{0,6}[，,])?(?:她|他)?(?:还|也|进一步|同时)?(?:建议|提出|指出|表示|认为)[，,:：]?/.exec(text);
  const match = named ?? lead;
  const core = match && match[0].length > 1 ? text.slice(match.index + match[0].length) : text;
  return trimSentence(core.replace(/^[“"]/, ''), [], PROPOSAL_CHARS);
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
export function latestDocumentId(index: ForumIndex): string | undefined {
  return [...index.documents.values()].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || b.id.localeCompare(a.id))[0]?.id;
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
export function overview(index: ForumIndex): SessionOverview[] {
  return [...index.documents.values()]
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
    .map((document) => ({
      docId: document.id,
      date: document.date ?? null,
      session: document.session ?? null,
      title: document.title,
      members: document.people.map((person) => `${person.name}（${person.affiliation}${person.role}）`),
    }));
}
