import { englishName } from '../corpus/name-spellings.js';
import type { ArticleIndex } from '../index/article-index.js';
import type { RetrievedChunk } from '../types.js';

/** A forum the articles do cover, offered after a refusal: its report and who spoke there. */
export interface CoveredForum {
  docId: string;
  title: string;
  date: string | null;
  /** Members as the report introduces them, in the order they spoke. */
  members: string[];
  /** Members the report names beyond those listed. */
  moreMembers: number;
}

/**
 * What a refusal can point to instead of a dead end: the forums whose passages came closest to
 * the question (retrieval's order), or the newest ones when nothing came close.
 */
export interface RefusalGuide {
  forums: CoveredForum[];
}

const FORUMS_OFFERED = 2;
const MEMBERS_NAMED = 6;

export function refusalGuide(index: ArticleIndex, passages: readonly RetrievedChunk[]): RefusalGuide {
  const nearest = [...new Set(passages.map((passage) => passage.docId))];
  const newest = [...index.corpus.documents.values()].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '')).map((document) => document.id);
  const ids = [...new Set([...nearest, ...newest])].slice(0, FORUMS_OFFERED);
  const forums = ids.flatMap((id) => {
    const document = index.corpus.documents.get(id);
    if (!document) return [];
    const title = (document.session ?? document.title).replace(/\s+/g, ' ').trim();
    return [{ docId: id, title, date: document.date ?? null, members: document.people.slice(0, MEMBERS_NAMED).map((person) => person.name), moreMembers: Math.max(0, document.people.length - MEMBERS_NAMED) }];
  });
  return { forums };
}

/** The guide as plain lines in the reader's language ("最接近的报道：…"), names in pinyin for English. */
export function describeGuide(guide: RefusalGuide, language: 'zh' | 'en'): string[] {
  if (guide.forums.length === 0) return [];
  const lines = guide.forums.map((forum) => {
    if (language === 'zh') {
      const when = forum.date ? `（${forum.date}）` : '';
      return `• ${forum.title}${when}${forum.members.length ? `：${forum.members.join('、')}${forum.moreMembers ? '等' : ''}委员发言` : ''}`;
    }
    const when = forum.date ? ` (${forum.date})` : '';
    return `• ${forum.title}${when}${forum.members.length ? `: members ${forum.members.map(englishName).join(', ')}${forum.moreMembers ? ' and others' : ''} spoke` : ''}`;
  });
  return [language === 'zh' ? '报道里最接近的是：' : 'The closest the articles come:', ...lines];
}
