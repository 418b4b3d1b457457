import type { Person } from '../corpus/people.js';
import type { ForumIndex } from '../index/forum-index.js';
import { FRAME_WORD_SET, STOPWORDS } from '../text/stopwords.js';
import { normalizeText, words } from '../text/tokenize.js';
import type { HistoryTurn } from '../types.js';

/** What the answerer needs to know about a question before and after retrieval. */
export interface QuestionAnalysis {
  /** The question as asked. */
  question: string;
  /** The text retrieval runs on: the question, made standalone with the conversation. */
  searchText: string;
  /** Topic words of the question (no function, interrogative or framing words). */
  contentTerms: string[];
  /** Members the question names (or refers back to). */
  people: Person[];
  /** Documents whose date matches a year or date the question names; undefined when it names none. */
  documentIds?: Set<string>;
  /** The question compares or lists across articles ("两篇报道…分别", "both years"). */
  acrossDocuments: boolean;
}

const PRONOUN = /(他|她|该委员|这位委员|此人|其)/;
const ACROSS = /(两篇|两年|两次|两场|分别|各自|各是|历次|每次|每年|两届|both|each|respectively)/i;

export function analyzeQuestion(index: ForumIndex, question: string, history: HistoryTurn[] = []): QuestionAnalysis {
  const everyone = [...index.documents.values()].flatMap((document) => document.people);
  let people = everyone.filter((person) => question.includes(person.name));
  let searchText = question;

  // A follow-up that points back ("她还建议了什么?") borrows the people, or failing that the
  // topic, of the latest turn that had one.
  if (history.length > 0 && people.length === 0) {
    for (const turn of [...history].reverse()) {
      const earlier = everyone.filter((person) => turn.question.includes(person.name));
      const mentioned = earlier.length ? earlier : everyone.filter((person) => turn.answer.includes(person.name));
      if (mentioned.length) {
        people = dedupe(mentioned).slice(0, 2);
        searchText = `${people.map((person) => person.name).join(' ')} ${question}`;
        break;
      }
      if (PRONOUN.test(question) || question.length < 12) {
        searchText = `${turn.question} ${question}`;
        break;
      }
    }
  }

  return {
    question,
    searchText,
    contentTerms: contentTerms(question),
    people: dedupe(people),
    documentIds: documentsForDates(index, searchText),
    acrossDocuments: ACROSS.test(question),
  };
}

function dedupe(people: Person[]): Person[] {
  return people.filter((person, i) => people.findIndex((other) => other.name === person.name) === i);
}

/** Topic words: jieba words minus stopwords and framing words; numbers and Latin words kept. */
export function contentTerms(question: string): string[] {
  const terms = words(question).filter((word) => {
    if (STOPWORDS.has(word) || FRAME_WORD_SET.has(word)) return false;
    if (/^\p{Script=Han}$/u.test(word)) return false; // single characters carry little topic
    return true;
  });
  return [...new Set(terms)];
}

/**
 * Documents dated in a year the question names: "2025年的座谈会" is about the 2025 forum.
 * A year that is no article's date but appears in the text ("2023年,…前200家企业") is content,
 * not a filter. A year found nowhere gives an empty set: the articles cannot answer.
 */
function documentsForDates(index: ForumIndex, text: string): Set<string> | undefined {
  const years = new Set([...normalizeText(text).matchAll(/(?<!\d)(20\d{2})(?!\d)/g)].map((match) => match[1]!));
  if (years.size === 0) return undefined;
  const documents = [...index.documents.values()];
  const dated = documents.filter((document) => document.date && years.has(document.date.slice(0, 4)));
  if (dated.length) return new Set(dated.map((document) => document.id));
  const mentioned = [...years].some((year) => documents.some((document) => document.text.includes(year)));
  return mentioned ? undefined : new Set();
}
