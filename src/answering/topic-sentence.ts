import type { Person } from '../corpus/people.js';
import type { ArticleIndex } from '../index/article-index.js';
import { contentTerms } from '../retrieval/query.js';
import { sentencesOf, type Sentence } from './evidence.js';

/**
 * Reports introduce a member with a sentence that names their topic ("北京协和医院骨科主任医师赵宇
 * 同样关注人工智能。") and say what they said about it in the next ones. Such a sentence tells
 * nothing beyond the question and the member's introduction: each of its content words is made
 * of characters the question (or its Latin words' translations: AI → 人工智能), the member's name,
 * post or organisation already hold.
 */
export function onlyNamesTopic(index: ArticleIndex, sentence: Sentence, question: string, person: Person): boolean {
  const translated = (question.match(/[A-Za-z][A-Za-z0-9+]*/g) ?? []).flatMap((word) => index.words.lexicon.get(word.toLowerCase()) ?? []);
  const given = new Set([...question, ...translated.join(''), ...person.name, ...person.affiliation, ...person.role, ...(person.sector ?? ''), ...INTRODUCTION_WORDS]);
  return contentTerms(sentence.text).every((term) => [...term].every((character) => given.has(character)));
}

// How reports introduce a member before their topic: 市政协委员、区政协常委; 今年, 同样, 重点 关注, 发言聚焦.
const INTRODUCTION_WORDS = '市区政协委员常委今年同样重点也一直关注聚焦发言';

/** The same member's next sentence, in the passage or the one after it. */
export function nextOwnSentence(index: ArticleIndex, sentence: Sentence): Sentence | undefined {
  const next = index.corpus.nextChunk(sentence.chunk);
  const following = [...sentencesOf(index, sentence.chunk, sentence.rank), ...(next ? sentencesOf(index, { ...next, score: 0 }, sentence.rank) : [])];
  return following.find((candidate) => candidate.start >= sentence.end && candidate.document.id === sentence.document.id && candidate.speaker === sentence.speaker);
}
