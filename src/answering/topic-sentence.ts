import type { Person } from '../corpus/people.js';
import type { ArticleIndex } from '../index/article-index.js';
import { contentTerms } from '../retrieval/query.js';
import type { Sentence } from './evidence.js';

/**
 * Reports introduce a member with a sentence that names their topic ("北京协和医院骨科主任医师赵宇
 * 同样关注人工智能。", "…的发言聚焦新型储能。") and say what they said about it in the next ones.
 * Such a sentence tells nothing beyond the question and the member's introduction when each of
 * its content words is made of characters the question (or its Latin words' translations: AI →
 * 人工智能), the member's name, post or organisation, or the introduction's formula already hold.
 * Characters, not words: jieba cuts the formula variously (区政协委员 → 区/政协委员).
 */
export function onlyNamesTopic(index: ArticleIndex, sentence: Sentence, question: string, person: Person): boolean {
  const translated = (question.match(/[A-Za-z][A-Za-z0-9+]*/g) ?? []).flatMap((word) => index.words.lexicon.get(word.toLowerCase()) ?? []);
  const given = new Set([...question, ...translated.join(''), ...person.name, ...person.affiliation, ...person.role, ...(person.sector ?? ''), ...INTRODUCTION]);
  return contentTerms(sentence.text).every((term) => [...term].every((character) => given.has(character)));
}

// The words of the formula that introduces a member before their topic: 市政协委员、区政协常委,
// 今年/同样/也/一直/重点 关注, 发言聚焦.
const INTRODUCTION = '市区政协委员常委今年同样也一直重点关注聚焦发言';
