import type { Person } from '../corpus/people.js';
import type { ArticleIndex } from '../index/article-index.js';
import type { StoredDocument } from '../index/store.js';
import type { QuestionAnalysis } from '../retrieval/query.js';
import { splitSentences } from '../chunking/sentences.js';
import { isCommonWord } from '../text/dictionary.js';
import { sentencesOf, type Sentence } from './evidence.js';
import { introductionOf } from './introductions.js';

/**
 * A question built on a wrong fact about a member gets the fact as the reports state it:
 * "京东方的王磊委员提了啥?" → who 王磊 is, and who is from 京东方; "黄宇红在2025年的座谈会上…"
 * (she spoke in 2026) → the forum she spoke at, and who she is. Undefined when the premise holds.
 */
export function correctedPremise(index: ArticleIndex, analysis: QuestionAnalysis): Sentence[] | undefined {
  if (analysis.people.length !== 1) return undefined;
  const person = analysis.people[0]!;
  const documents = [...index.corpus.documents.values()].filter((document) => document.people.some((p) => p.name === person.name));
  const home = documents[0];
  if (!home) return undefined;
  const asPerson = home.people.find((p) => p.name === person.name)!;

  const other = memberOfNamedOrganisation(index, analysis, asPerson);
  if (other) {
    return [introductionOf(index, home, asPerson), introductionOf(index, other.document, other.person)].filter((s): s is Sentence => Boolean(s));
  }
  if (analysis.documentIds?.size && !documents.some((document) => analysis.documentIds!.has(document.id))) {
    return [openingOf(index, home), introductionOf(index, home, asPerson)].filter((s): s is Sentence => Boolean(s));
  }
  return undefined;
}

/**
 * Another member whose organisation the question names next to this member ("京东方的王磊"):
 * a question word that is part of one or two members' organisations (so it names them, unlike
 * 研究院 or 公司), none of them this member's.
 */
function memberOfNamedOrganisation(index: ArticleIndex, analysis: QuestionAnalysis, person: Person): { document: StoredDocument; person: Person } | undefined {
  const chinese = /\p{Script=Han}/u.test(analysis.question);
  for (const term of analysis.contentTerms) {
    const alternatives = term
      .split('|')
      .filter((alternative) => alternative.length >= 2 && alternative !== person.name && !isCommonWord(alternative))
      .filter((alternative) => (chinese ? describes(analysis.question, alternative, person.name) : alternative.length >= 3));
    if (alternatives.length === 0 || alternatives.some((alternative) => person.affiliation.includes(alternative))) continue;
    const holders = new Map<string, { document: StoredDocument; person: Person }>();
    for (const document of index.corpus.documents.values()) {
      for (const member of document.people) {
        if (member.name !== person.name && alternatives.some((alternative) => member.affiliation.includes(alternative))) holders.set(member.name, { document, person: member });
      }
    }
    if (holders.size >= 1 && holders.size <= 2) return [...holders.values()][0];
  }
  return undefined;
}

/**
 * The word describes the member in the question: "京东方的王磊", "京东方王磊委员", "王磊是京东方的",
 * not a word elsewhere in it (房山 in "房山那个会上祝青峦提的…" scopes the forum).
 */
function describes(question: string, word: string, name: string): boolean {
  const at = question.indexOf(word);
  const named = question.indexOf(name);
  if (at < 0 || named < 0) return false;
  const between = at < named ? question.slice(at + word.length, named) : question.slice(named + name.length, at);
  return at < named ? /^(?:的|[^，,。？?\s]{0,4}的)?$/u.test(between) : /^(?:是|来自|在)$/u.test(between);
}

/** The report's first sentence: when and at which session the forum was held. */
function openingOf(index: ArticleIndex, document: StoredDocument): Sentence | undefined {
  const first = splitSentences(document.text).find((span) => span.end - span.start >= 10);
  if (!first) return undefined;
  const chunk = index.corpus.chunksOf(document.id).find((c) => c.start <= first.start && first.start < c.end);
  return chunk ? sentencesOf(index, { ...chunk, score: 0 }, 0).find((s) => s.start <= first.start && first.start < s.end) : undefined;
}
