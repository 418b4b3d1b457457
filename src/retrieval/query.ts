import type { Person } from '../corpus/people.js';
import type { ArticleIndex } from '../index/article-index.js';
import { COLLOQUIAL_SET, FRAME_WORD_SET, STOPWORDS } from '../text/stopwords.js';
import { normalizeText, segmenter, words } from '../text/tokenize.js';
import { isConcreteCharacter, isDictionaryWord } from '../text/dictionary.js';
import type { HistoryTurn } from '../types.js';
import { questionLanguage } from '../text/language.js';
import { translateQuestion } from '../crosslingual/translate.js';

/** What the answerer needs to know about a question before and after retrieval. */
export interface QuestionAnalysis {
  /** The question as asked. */
  question: string;
  /** The text retrieval runs on: the question, made standalone with the conversation. */
  searchText: string;
  /** Topic words of the question (no function, interrogative or framing words). */
  contentTerms: string[];
  /** The content words the question asks about ("哪个会场" → 会场, "报料邮箱是多少" → 报料, 邮箱). */
  focusTerms: string[];
  /** Members the question names (or refers back to). */
  people: Person[];
  /** Documents whose date matches a year or date the question names; undefined when it names none. */
  documentIds?: Set<string>;
  /** The question compares or lists across articles ("两篇报道…分别", "both years"). */
  acrossDocuments: boolean;
  /** Names an English question writes that nothing translates (CSRC, WeLion), lowercased. */
  untranslatedNames?: string[];
  /** A follow-up's context: the passages the previous answer quoted (its answer usually lies there or just after). */
  previousPassages?: Set<string>;
}

const PRONOUN = /(他|她|该委员|这位委员|此人|其)/;
const PERSONAL_PRONOUN = /\b(he|she|his|her|they|them|their)\b/i;
const DEMONSTRATIVE = /\b(that|those|it)\b/i;
/** An English question that opens by continuing the last one: "And what …", "So how …", "What about …". */
const CONTINUES = /^\s*(?:and|so|also|then|what about|how about)\b/i;
const ACROSS = /(两篇|两年|两次|两场|分别|各自|各是|历次|每次|每年|两届|both|each|respectively)/i;

export function analyzeQuestion(index: ArticleIndex, question: string, history: HistoryTurn[] = []): QuestionAnalysis {
  if (questionLanguage(question) === 'en') return analyzeEnglishQuestion(index, question, history);
  let people = index.corpus.peopleIn(question);
  if (people.length === 0) people = bySurnameReference(index, question, history);
  let searchText = question;
  let borrowed: Person[] = [];

  // A follow-up that points back ("她还建议了什么?", "那第二条呢") borrows the people, or failing
  // that the topic, of the latest turn. A question that stands on its own (no
  // pronoun, not elliptical) keeps its own topic, whatever the conversation was about.
  const pointsBack = PRONOUN.test(question) || question.length < 12;
  if (history.length > 0 && people.length === 0 && pointsBack) {
    const latest = history.at(-1)!;
    const earlier = index.corpus.peopleIn(latest.question);
    const mentioned = earlier.length ? earlier : index.corpus.peopleIn(latest.answer);
    if (mentioned.length) {
      people = dedupe(mentioned).slice(0, 2);
      borrowed = people;
      searchText = `${people.map((person) => person.name).join(' ')} ${question}`;
    } else {
      searchText = `${latest.question} ${question}`;
    }
  }

  return {
    question,
    searchText,
    // The person a follow-up points back to is part of what it asks about.
    // A member's name is one term: jieba, not knowing the name, may cut it with its neighbours
    // ("总结下卢晚晴" → 下卢/晚晴), so the name is taken out before the rest is cut.
    contentTerms: [...new Set([...borrowed.map((person) => person.name), ...namedIn(question, people), ...contentTerms(withoutNames(question, people)), ...unknownWords(index, withoutNames(question, people))])],
    focusTerms: focusTerms(question),
    people: dedupe(people),
    documentIds: documentsForDates(index, searchText),
    acrossDocuments: ACROSS.test(question),
    ...(history.length && pointsBack ? { previousPassages: quotedPassages(index, history.at(-1)!.answer) } : {}),
  };
}

/**
 * The passages an answer quotes: its sentences, citation marks and "王磊：" labels removed, are
 * found word for word in the index (extractive answers quote; an LLM's paraphrase finds none).
 */
function quotedPassages(index: ArticleIndex, answer: string): Set<string> {
  const snippets = answer
    .split(/\[\d+\]/)
    .map((part) => part.replace(/^[\s\n]*(?:\p{Script=Han}{2,4}：)?[…“"\s]*/u, '').replace(/^[^“"]*?: [“"]/u, ''))
    .map((part) => part.slice(0, 16))
    .filter((snippet) => snippet.length >= 8);
  const found = new Set<string>();
  for (const chunk of index.corpus.chunks) if (snippets.some((snippet) => chunk.text.includes(snippet))) found.add(chunk.id);
  return found;
}

/**
 * An English question is translated into Chinese search terms (names by pinyin, words through
 * the bilingual lexicon); each topic word becomes a group of alternative translations.
 */
function analyzeEnglishQuestion(index: ArticleIndex, question: string, history: HistoryTurn[]): QuestionAnalysis {
  const translation = translateQuestion(index, question);
  let { people, searchText } = translation;
  // As in Chinese, a follow-up that points back borrows the people of the conversation, or failing
  // that the latest turn's topic: a personal pronoun, a question opening with "And …", or a short
  // question with a demonstrative ("What would that package include?"; in a longer one, "that" is
  // more often a relative pronoun: "proposals that members made").
  const wordCount = question.split(/\s+/).length;
  const refersBack = PERSONAL_PRONOUN.test(question) || DEMONSTRATIVE.test(question);
  const pointsBack = PERSONAL_PRONOUN.test(question) || CONTINUES.test(question) || (DEMONSTRATIVE.test(question) && wordCount <= 8);
  if (people.length === 0 && history.length > 0 && pointsBack) {
    const latest = translateQuestion(index, history.at(-1)!.question);
    for (const [i, turn] of [...history].reverse().entries()) {
      const earlier = (i === 0 ? latest : translateQuestion(index, turn.question)).people;
      const mentioned = earlier.length ? earlier : index.corpus.peopleIn(turn.answer);
      if (mentioned.length) {
        people = dedupe(mentioned).slice(0, 2);
        searchText = `${people.map((person) => person.name).join(' ')} ${searchText}`;
        break;
      }
    }
    if (people.length === 0) searchText = `${latest.searchText} ${searchText}`;
  }
  return {
    question,
    searchText,
    contentTerms: [...new Set([...people.map((person) => person.name), ...translation.termGroups])],
    ...(translation.names.length ? { untranslatedNames: translation.names } : {}),
    focusTerms: [],
    people,
    documentIds: documentsForDates(index, `${question} ${searchText}`),
    acrossDocuments: ACROSS.test(question),
    ...(history.length && (refersBack || wordCount <= 6) ? { previousPassages: quotedPassages(index, history.at(-1)!.answer) } : {}),
  };
}

/**
 * "祁委员还建议了什么", "蔺常委": a member referred to by surname and title. Resolved when one
 * member has that surname, or one of several is the one the conversation names.
 */
function bySurnameReference(index: ArticleIndex, question: string, history: HistoryTurn[]): Person[] {
  const reference = /(\p{Script=Han}{1,2}?)(?:委员|常委)(?![会们])/u.exec(question);
  if (!reference) return [];
  const surname = reference[1]!.slice(-2);
  const all: Person[] = [];
  for (const document of index.corpus.documents.values()) all.push(...document.people);
  for (const length of [surname.length, 1]) {
    const candidates = dedupe(all.filter((person) => person.name.startsWith(surname.slice(-length)) && person.name.length > length));
    if (candidates.length === 1) return candidates;
    const talkedAbout = candidates.filter((person) => history.some((turn) => turn.question.includes(person.name) || turn.answer.includes(person.name)));
    if (talkedAbout.length === 1) return talkedAbout;
  }
  return [];
}

/**
 * Words jieba does not know fall apart into characters ("北京兴和医院" → 北京/兴/和/医院), and
 * single characters are no terms: a run of them that the articles hold, pair by pair, is
 * taken as one word (兴和) — the organisations and places the reports name.
 */
// Particles end a run; 和/与 may be inside a name (兴和), so the articles decide.
const PARTICLE = /^[的了是在吗呢吧啊呀么着过得地把被就都也还又]$/u;

function unknownWords(index: ArticleIndex, question: string): string[] {
  const found: string[] = [];
  let run: string[] = [];
  const flush = () => {
    const word = run.join('');
    if (run.length >= 2 && word.length <= 6 && !run.every((token) => STOPWORDS.has(token)) && [...word].every((_, i) => i === 0 || index.keywords.bigramFrequency(word.charCodeAt(i - 1), word.charCodeAt(i)) > 0)) found.push(word);
    run = [];
  };
  for (const token of segmenter().cut(normalizeText(question), true)) {
    if (/^\p{Script=Han}$/u.test(token) && !PARTICLE.test(token)) run.push(token);
    else flush();
  }
  flush();
  return found;
}

function namedIn(question: string, people: Person[]): string[] {
  return people.map((person) => person.name).filter((name) => question.includes(name));
}

function withoutNames(question: string, people: Person[]): string {
  return people.reduce((text, person) => text.split(person.name).join(' '), question);
}

function dedupe(people: Person[]): Person[] {
  return people.filter((person, i) => people.findIndex((other) => other.name === person.name) === i);
}

/** Topic words: jieba words minus stopwords and framing words; numbers and Latin words kept. */
export function contentTerms(question: string): string[] {
  const terms = words(question)
    .flatMap(repairMerge)
    .filter((word) => {
      if (STOPWORDS.has(word) || FRAME_WORD_SET.has(word) || COLLOQUIAL_SET.has(word)) return false;
      // Single characters carry little topic, except a noun that names a thing ("用在哪几类药上" → 药).
      if (/^\p{Script=Han}$/u.test(word) && !isConcreteCharacter(word)) return false;
      // "哪五条链", "几级", "两场": a count in words is the shape of the question or of its
      // answer, not its topic; the articles say "三级", not "几级". (Digits are kept: "42次".)
      if (NUMBER_AND_MEASURE.test(word)) return false;
      // "分别/各是/两篇": the question compares across articles; no article needs to say so.
      if (ACROSS_WORD.test(word)) return false;
      return true;
    });
  return [...new Set(terms)];
}

const NUMBER_AND_MEASURE = /^[一二三四五六七八九十百千两几多数]+[条场级位名个次家项种年天人所座篇届批类点期轮组]$/u;
const ACROSS_WORD = new RegExp(`^(?:${ACROSS.source})$`, 'i');
const FUNCTION_CHARACTERS = /[是有的在和与为了就也都]/u;

/**
 * jieba's HMM glues unknown words to their neighbours ("多少家是央企" → 家是央企, a "word" no
 * article contains, although 央企 is there). A word the dictionary does not know that holds a
 * function character is cut at it, keeping the pieces of two or more characters. Dictionary
 * words ("有限公司", "是否") and the question's other words are left alone.
 */
function repairMerge(word: string): string[] {
  // "用在药上", "在手术里": a noun glued to its locative (上/中/里/内) is the noun.
  if (/^\p{Script=Han}+[上中里内]$/u.test(word) && !isDictionaryWord(word)) {
    const noun = word.slice(0, -1);
    return noun.length >= 2 || isConcreteCharacter(noun) ? [noun] : [];
  }
  if (word.length < 3 || !FUNCTION_CHARACTERS.test(word) || !/^\p{Script=Han}+$/u.test(word)) return [word];
  if (segmenter().cutAll(word).includes(word)) return [word];
  return word.split(new RegExp(FUNCTION_CHARACTERS.source, 'gu')).filter((piece) => piece.length >= 2);
}

const ASKING = new Set(['哪个', '哪家', '哪位', '哪些', '哪种', '哪项', '哪里', '哪', '什么', '什么样', '何种', '多少', '几', '谁', '哪一', '哪所', '哪座']);
const ASKED_AFTER = new Set(['谁', '什么', '多少', '哪', '哪里', '哪儿', '何']);

/**
 * The words next to the interrogative: what the question is after. The first content word
 * after "哪个/什么/多少/谁", and up to two before "是谁/是什么/是多少".
 */
export function focusTerms(question: string): string[] {
  const sequence = words(question).flatMap(repairMerge);
  const content = new Set(contentTerms(question));
  const focus: string[] = [];
  sequence.forEach((word, i) => {
    if (ASKING.has(word)) {
      // The first content word right after it ("哪个会场举行" → 会场, "什么技术保护" → 技术)…
      const next = sequence.slice(i + 1, i + 3).find((candidate) => content.has(candidate));
      if (next) focus.push(next);
      // …and the word that ends its clause: what is done by or to the one asked about
      // ("由哪位领导主持" → 主持).
      const clause = sequence.slice(i + 1);
      const end = clause.findIndex((candidate) => /^\p{P}+$/u.test(candidate));
      const last = (end < 0 ? clause : clause.slice(0, end)).filter((candidate) => content.has(candidate)).at(-1);
      if (last && last !== next) focus.push(last);
    }
    if ((word === '是' || word === '为') && ASKED_AFTER.has(sequence[i + 1] ?? '')) {
      for (const previous of sequence.slice(Math.max(0, i - 2), i)) if (content.has(previous)) focus.push(previous);
    }
  });
  return [...new Set(focus)];
}

/**
 * Documents dated in a year the question names: "2025年的座谈会" is about the 2025 forum.
 * A year that is no article's date but appears in the text ("2023年,…前200家企业") is content,
 * not a filter. A year found nowhere gives an empty set: the articles cannot answer. A month
 * ("2023年12月那场") or a day ("1月26号那场座谈会") that is an article's date narrows to it;
 * one that is none is left to the words (a report may date something else that day).
 */
function documentsForDates(index: ArticleIndex, text: string): Set<string> | undefined {
  const normalised = normalizeText(text);
  const years = new Set([...normalised.matchAll(/(?<!\d)(20\d{2})(?!\d)/g)].map((match) => match[1]!));
  let candidates: string[] | undefined;
  if (years.size) {
    const dated = index.corpus.documentsDatedIn(years);
    if (dated.length) candidates = dated;
    else return [...years].some((year) => index.corpus.yearsInTexts.has(year)) ? undefined : new Set();
  }
  const yearMonths = [...normalised.matchAll(/(20\d{2})年(\d{1,2})月/g)].map((match) => `${match[1]}-${match[2]!.padStart(2, '0')}`);
  const monthDays = [...normalised.matchAll(/(?<!\d)(\d{1,2})月(\d{1,2})[日号]/g)].map((match) => `-${match[1]!.padStart(2, '0')}-${match[2]!.padStart(2, '0')}`);
  const narrowed = (pool: string[], matches: (date: string) => boolean) => {
    const kept = pool.filter((id) => {
      const date = index.corpus.documents.get(id)?.date;
      return Boolean(date && matches(date));
    });
    return kept.length ? kept : pool;
  };
  let pool = candidates ?? [...index.corpus.documents.keys()];
  if (yearMonths.length) pool = narrowed(pool, (date) => yearMonths.some((month) => date.startsWith(month)));
  if (monthDays.length) pool = narrowed(pool, (date) => monthDays.some((day) => date.slice(4, 10) === day));
  if (!candidates && pool.length === index.corpus.documents.size) return undefined;
  return new Set(pool);
}
