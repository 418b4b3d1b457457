/**
 * /summary in chats: "" (the latest forum), "all" (overview), a year, a month or a date
 * (2025, 2025-01, 2025-01-15, 2025年1月15日, 2025/1/15), or an article id.
 */
import type { ForumIndex } from '../../index/forum-index.js';
import type { SummaryHook } from '../features/commands.js';
import { escapeHtml } from '../format.js';
import type { DigestLanguage, Summarizer } from '../../summaries/digest.js';
import { digestHtml, overviewHtml } from './render.js';
import { latestDocumentId, overview } from '../../summaries/summarise.js';

export type SummaryRequest =
  | { kind: 'digests'; docIds: string[] }
  | { kind: 'overview'; docIds: string[]; period?: string }
  | { kind: 'nothing'; period: string; known: string[] }
  | { kind: 'empty' }
  | { kind: 'usage' };

/** At most this many digests for one date (several reports of one session). */
const MAX_DIGESTS = 3;

const DATE = /^(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?$/;

export function resolveSummaryRequest(index: ForumIndex, args: string): SummaryRequest {
  const text = args.trim();
  const documents = [...index.corpus.documents.values()];
  if (documents.length === 0) return { kind: 'empty' };
  if (!text || /^(latest|last|new|newest|最新|最近)$/i.test(text)) return { kind: 'digests', docIds: [latestDocumentId(index)!] };
  if (/^(all|overview|list|全部|所有|总览|概览)$/i.test(text)) return { kind: 'overview', docIds: overview(index).map((session) => session.docId) };
  if (index.corpus.documents.has(text)) return { kind: 'digests', docIds: [text] };

  const match = DATE.exec(text);
  if (!match) return { kind: 'usage' };
  const [, year, month, day] = match;
  const period = [year, month?.padStart(2, '0'), day?.padStart(2, '0')].filter(Boolean).join('-');
  const matching = overview(index)
    .filter((session) => session.date?.startsWith(period))
    .reverse(); // oldest first within the period
  if (matching.length === 0) {
    return { kind: 'nothing', period, known: [...new Set(overview(index).flatMap((session) => (session.date ? [session.date] : [])))] };
  }
  if (matching.length === 1 || (day && matching.length <= MAX_DIGESTS)) return { kind: 'digests', docIds: matching.map((session) => session.docId) };
  return { kind: 'overview', docIds: matching.map((session) => session.docId).reverse(), period };
}

const TEXTS = {
  zh: {
    empty: '索引里还没有文章。',
    nothing: (period: string, known: string[]) => `没有 ${period} 的论坛报道。已收录的日期：${known.join('、') || '无'}。`,
    usage: '用法：/summary（最新一场）、/summary all（全部论坛概览）、/summary 2025 或 /summary 2025-01-15（某年或某天的论坛）。',
    period: (period: string, count: number) => `${period} 的论坛（${count} 场）`,
  },
  en: {
    empty: 'The index has no articles yet.',
    nothing: (period: string, known: string[]) => `No forum report from ${period}. Dates indexed: ${known.join(', ') || 'none'}.`,
    usage: 'Usage: /summary (the latest forum), /summary all (an overview of all forums), /summary 2025 or /summary 2025-01-15 (a year or a date).',
    period: (period: string, count: number) => `Forum sessions in ${period} (${count})`,
  },
} as const;

/** The HTML for a /summary request: digests joined (send.ts splits them), or an overview, or a hint. */
export async function summaryReplyHtml(index: ForumIndex, args: string, language: DigestLanguage, summarizer: Summarizer, signal?: AbortSignal): Promise<string> {
  const request = resolveSummaryRequest(index, args);
  const texts = TEXTS[language];
  switch (request.kind) {
    case 'empty':
      return escapeHtml(texts.empty);
    case 'usage':
      return escapeHtml(texts.usage);
    case 'nothing':
      return escapeHtml(texts.nothing(request.period, request.known));
    case 'overview': {
      const sessions = overview(index).filter((session) => request.docIds.includes(session.docId));
      return overviewHtml(sessions, language, request.period ? texts.period(request.period, sessions.length) : undefined);
    }
    case 'digests': {
      const parts: string[] = [];
      for (const docId of request.docIds) parts.push(digestHtml(await summarizer.digest(index, docId, language, signal)));
      return parts.join('\n\n\n');
    }
  }
}

/** The bot's /summary hook (commands.ts) backed by a summarizer. */
export function summaryHook(summarizer: Summarizer): SummaryHook {
  return ({ index, language, args }) => summaryReplyHtml(index, args, language, summarizer);
}
