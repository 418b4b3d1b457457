/** The retrieved passages as the model sees them: numbered, with the article context a reader needs. */
import { citationFor as citationForChunk } from '../citation.js';
import type { Person } from '../../corpus/people.js';
import type { ArticleIndex } from '../../index/article-index.js';
import { speakerOf } from '../../index/context.js';
import type { StoredDocument } from '../../index/store.js';
import type { Citation, RetrievedChunk } from '../../types.js';
import { fitToBudget } from './tokens.js';

export interface PromptPassage {
  /** 1-based number in the prompt. */
  n: number;
  chunk: RetrievedChunk;
  document: StoredDocument;
  /** The member speaking where the passage starts (often only "他/她" in the passage itself). */
  speaker?: Person;
}

/** Best passages first, as many as fit `budget` tokens with their headers, numbered 1..k. */
export function promptPassages(index: ArticleIndex, passages: readonly RetrievedChunk[], budget: number): PromptPassage[] {
  const candidates = passages.flatMap((chunk) => {
    const document = index.corpus.documents.get(chunk.docId);
    if (!document) return [];
    const name = speakerOf(document, chunk);
    return [{ n: 0, chunk, document, speaker: document.people.find((person) => person.name === name) }];
  });
  return fitToBudget(candidates, (passage) => `${headerText(passage)}\n${passage.chunk.text}`, budget).map((passage, i) => ({ ...passage, n: i + 1 }));
}

/** What the passage header says about who speaks, e.g. "黄宇红（中国移动通信研究院院长）". */
export function speakerLabel(passage: PromptPassage): string | undefined {
  const person = passage.speaker;
  if (!person) return undefined;
  const post = `${person.affiliation}${person.role}`;
  return post ? `${person.name}（${post}）` : person.name;
}

/** Context stated outside the passage text but shown with it: title, date, session, speaker. */
export function headerText(passage: PromptPassage): string {
  const { document } = passage;
  return [document.title, document.date, document.session, speakerLabel(passage)].filter(Boolean).join(' ');
}

export function citationFor(passage: PromptPassage, n: number): Citation {
  return citationForChunk(passage.document, passage.chunk, n);
}
