import type { ForumDocument } from '../types.js';

/** An article as a person recognises it in a report: its title and date, not its id or file. */
export interface ArticleRef {
  id: string;
  title: string;
  date?: string;
  file: string;
}

/** What a rebuild changed, article by article. */
export interface ArticleChanges {
  added: ArticleRef[];
  /** Same id, different text or metadata. */
  updated: ArticleRef[];
  removed: ArticleRef[];
}

type Indexed = ForumDocument & { contentHash: string };

/** The articles added, changed and removed between two indexes (removed ones named as they were). */
export function articleChanges(before: ReadonlyMap<string, Indexed>, after: ReadonlyMap<string, Indexed>): ArticleChanges {
  const changes: ArticleChanges = { added: [], updated: [], removed: [] };
  for (const [id, document] of after) {
    const old = before.get(id);
    if (!old) changes.added.push(refOf(document));
    else if (old.contentHash !== document.contentHash) changes.updated.push(refOf(document));
  }
  for (const [id, document] of before) if (!after.has(id)) changes.removed.push(refOf(document));
  const byDate = (a: ArticleRef, b: ArticleRef) => (a.date ?? '').localeCompare(b.date ?? '') || a.id.localeCompare(b.id);
  for (const list of Object.values(changes)) list.sort(byDate);
  return changes;
}

function refOf(document: Indexed): ArticleRef {
  return { id: document.id, title: document.title, ...(document.date ? { date: document.date } : {}), file: document.file };
}
