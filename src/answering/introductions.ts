import type { Person } from '../corpus/people.js';
import type { ArticleIndex } from '../index/article-index.js';
import type { StoredDocument } from '../index/store.js';
import type { RetrievedChunk } from '../types.js';
import { sentencesOf, type Sentence } from './evidence.js';

/**
 * The sentence where the article states who the member is: their introduction, or the later
 * sentence that states the organisation ("作为…创始合伙人，他…", "据了解，X现任…"), kept to the
 * clause with the name.
 */
export function introductionOf(index: ArticleIndex, document: StoredDocument, person: Person, passages: RetrievedChunk[] = []): Sentence | undefined {
  const at = introductionOffset(document, person);
  const chunk = index.corpus.chunksOf(document.id).find((c) => c.start <= at && at < c.end);
  if (!chunk) return undefined;
  const retrieved = passages.find((p) => p.id === chunk.id) ?? { ...chunk, score: 0 };
  const introduction = sentencesOf(index, retrieved, passages.length).find((s) => s.start <= at && at < s.end);
  return introduction && { ...introduction, focus: [person.name, person.affiliation, person.role] };
}

function introductionOffset(document: StoredDocument, person: Person): number {
  const stated = person.affiliation ? document.text.indexOf(person.affiliation, Math.max(0, person.start - 40)) : -1;
  return stated >= 0 ? stated : person.start;
}

/**
 * "Who" and "what post" answers name the member with their organisation and post: the sentence
 * that introduces each speaker is added (cut to the clause with the name) when not already there.
 */
export function introductionsFor(index: ArticleIndex, chosen: Sentence[], passages: RetrievedChunk[]): Sentence[] {
  const added: Sentence[] = [];
  for (const sentence of chosen) {
    const person = sentence.document.people.find((p) => p.name === sentence.speaker);
    if (!person) continue;
    const at = introductionOffset(sentence.document, person);
    if ([...chosen, ...added].some((c) => c.document.id === sentence.document.id && at >= c.start && at < c.end)) continue;
    const introduction = introductionOf(index, sentence.document, person, passages);
    if (introduction) added.push(introduction);
  }
  return added.slice(0, 2);
}
