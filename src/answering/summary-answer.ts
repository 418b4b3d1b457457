import { PROPOSAL_WORD } from '../text/reporting-verbs.js';
import type { Person } from '../corpus/people.js';
import type { ArticleIndex } from '../index/article-index.js';
import type { StoredDocument } from '../index/store.js';
import type { RetrievedChunk } from '../types.js';
import { coverage, sentencesOf, type Sentence } from './evidence.js';
import { ENUMERATION_START, enumerationFrom } from './enumeration.js';
import { inArticleOrder, proposalCore, proposalsOf, type Proposal } from './proposals.js';

// Asking for the gist rather than one fact: 总结/概括/捋一捋/说了啥/主要建议, "sum up", "rundown".
// These are the general verbs and nouns of summarising in Chinese and English, not phrasings of
// particular questions.
const ASKS_SUMMARY =
  /总结|概括|归纳|梳理|捋|简述|简要|简单说|大概说|说了(?:啥|什么|些什么|些啥)|讲了(?:啥|什么|些什么|些啥)|谈了(?:啥|什么|些什么)|聊了(?:啥|什么)|发言(?:内容|要点|了什么)|主要(?:建议|观点|内容|说了)|要点|\bsum(?:s|med)?\s+up\b|summar|rundown|run-down|overview|main points|key points|gist/i;

// Asking who took the floor: 都谁发言/哪些委员发言/有哪几位委员, "who spoke".
const ASKS_SPEAKERS = /(?:都|有)?(?:谁|哪些委员|哪几位(?:委员)?|哪些人)(?:发言|发了言|讲话|参加|谈了|说了)|\bwho (?:spoke|took the floor|addressed)\b/i;

/** The question's topic: its terms apart from the members it names and its summarising or proposing words. */
export function topicOf(terms: string[], names: string[]): string[] {
  return terms.filter((term) => !names.includes(term) && !ASKS_SUMMARY.test(term) && !PROPOSING_WORD.test(term));
}

const PROPOSING_WORD = new RegExp(`^(?:${PROPOSAL_WORD}|委员|委员们|发言|主要|内容|哪些|各自|分别)$`);

export function asksSummary(question: string): boolean {
  return ASKS_SUMMARY.test(question);
}

export function asksSpeakers(question: string): boolean {
  return ASKS_SPEAKERS.test(question);
}

/** Proposals a member summary shows, and a forum summary per member. */
const MEMBER_PROPOSALS = 4;

/**
 * A member's proposals, as the summary of what they said: the sentences in which they propose
 * something, those nearest the question's topic first, shown in the article's order.
 */
export function memberSummary(index: ArticleIndex, document: StoredDocument, person: Person, topic: string[]): Sentence[] {
  const candidates = proposalsOf(document, person, 12);
  // A member who sets out their proposals as 一是…二是… is summarised by that enumeration.
  for (const proposal of inArticleOrder(candidates)) {
    if (!ENUMERATION_START.test(proposal.text)) continue;
    const opening = sentenceAt(index, document, proposal.start);
    const items = opening ? enumerationFrom(index, opening) : [];
    if (items.length >= 3) return items;
  }
  return inArticleOrder(rankByTopic(candidates, topic).slice(0, MEMBER_PROPOSALS))
    .map((proposal) => sentenceAt(index, document, proposal.start))
    .filter((s): s is Sentence => Boolean(s));
}

/** The article's proposal order, tilted toward the question's topic ("王磊关于人才的建议"). */
function rankByTopic(candidates: Proposal[], topic: string[]): Proposal[] {
  return candidates
    .map((proposal, rank) => ({ proposal, score: 1 / (1 + rank) + (topic.length ? coverage(topic, proposal.text) : 0) }))
    .sort((a, b) => b.score - a.score)
    .map(({ proposal }) => proposal);
}

/**
 * A forum's summary: each member the article introduces, in order, with their main proposal
 * (the proposal itself, its lead-in "他建议，" dropped), so the reader sees who spoke and what
 * each asked for.
 */
export function forumSummary(index: ArticleIndex, document: StoredDocument, topic: string[], itemChars: number): Sentence[] {
  return document.people.flatMap((person) => {
    const main = rankByTopic(proposalsOf(document, person, 12), topic)[0];
    const sentence = main && sentenceAt(index, document, main.start);
    return sentence ? [{ ...sentence, text: proposalCore(sentence.text, person, itemChars) }] : [];
  });
}

/** The document a member summary is drawn from: where retrieval found them, else where they speak. */
export function documentOf(index: ArticleIndex, person: Person, passages: RetrievedChunk[], allowed?: Set<string>): StoredDocument | undefined {
  const speaksIn = (document: StoredDocument | undefined) =>
    document && document.people.some((p) => p.name === person.name) && (!allowed?.size || allowed.has(document.id));
  for (const passage of passages) {
    const document = index.corpus.documents.get(passage.docId);
    if (speaksIn(document)) return document;
  }
  return [...index.corpus.documents.values()].find(speaksIn);
}

/** The sentence of the document that holds the offset, as a cited sentence of its passage. */
function sentenceAt(index: ArticleIndex, document: StoredDocument, at: number): Sentence | undefined {
  const chunk = index.corpus.chunksOf(document.id).find((c) => c.start <= at && at < c.end);
  if (!chunk) return undefined;
  return sentencesOf(index, { ...chunk, score: 0 }, 0).find((s) => s.start <= at && at < s.end);
}
