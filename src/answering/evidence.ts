import { splitClauses, splitSentences, type Span } from '../chunking/sentences.js';
import { startsWithPronoun } from '../corpus/people.js';
import { chineseDate, speakerOf } from '../index/context.js';
import type { ArticleIndex } from '../index/article-index.js';
import type { StoredDocument } from '../index/store.js';
import { generalIdf } from '../text/idf.js';
import { isCommonWord } from '../text/dictionary.js';
import { REPORTING_VERB } from '../text/reporting-verbs.js';
import { surnameLengthAt } from '../text/surnames.js';
import type { RelatedWords } from '../crosslingual/related-words.js';
import { normalizeText } from '../text/tokenize.js';
import type { RetrievedChunk } from '../types.js';

/**
 * How much a question term says: rare words more than common ones, numbers and names a lot.
 * A term may be a group of alternatives "固态电池|锂电池" (translations): it weighs as its best.
 */
export function termWeight(term: string): number {
  if (term.includes('|')) return Math.max(...term.split('|').map(termWeight));
  if (/^[a-z0-9.]+$/i.test(term)) return 8;
  return generalIdf(term);
}

/** True when the (normalised) text holds the term, or one of a group's alternatives. */
export function holds(text: string, term: string): boolean {
  return term.includes('|') ? term.split('|').some((alternative) => text.includes(alternative)) : text.includes(term);
}

/** Weighted share of the terms that occur in the text (0…1). */
export function coverage(terms: string[], text: string): number {
  if (terms.length === 0) return 0;
  const haystack = normalizeText(text);
  let total = 0;
  let found = 0;
  for (const term of terms) {
    const weight = termWeight(term);
    total += weight;
    if (holds(haystack, term)) found += weight;
  }
  return total ? found / total : 0;
}

/**
 * Like coverage, but a term the text does not hold word for word earns part of its weight for
 * the characters it shares with the text: Chinese synonyms and variants share morphemes
 * (医生/医师, 企业/企业家, 建议/提议), so an article's wording close to the question's is
 * evidence, only weaker. Terms of Latin letters or digits (names of models, years, amounts)
 * earn nothing unless exact.
 */
export function softCoverage(terms: string[], text: string, focus: readonly string[] = [], related?: RelatedWords): number {
  if (terms.length === 0) return 0;
  const haystack = normalizeText(text);
  let total = 0;
  let found = 0;
  for (const term of terms) {
    // What the question asks about (the words next to its interrogative) weighs most: an answer
    // about the same event that lacks it ("在哪个会场举行") answers another question.
    const weight = termWeight(term) * (focus.includes(term) ? FOCUS_EMPHASIS : 1);
    total += weight;
    if (holds(haystack, term)) found += weight;
    else if (!focus.includes(term)) {
      const shared = SHARED_CHARACTER_CREDIT * Math.max(...term.split('|').map((alternative) => sharedCharacters(alternative, haystack)));
      // A word the dictionary relates to it (公司/企业) that the text uses earns as much as a close variant.
      const relatedUsed = related && !/[a-z0-9]/i.test(term) && term.split('|').some((alternative) => related(alternative).some((word) => haystack.includes(word)));
      found += weight * Math.max(shared, relatedUsed ? SHARED_CHARACTER_CREDIT : 0);
    }
  }
  return total ? found / total : 0;
}

/**
 * The question's terms that weigh as evidence: a month, day or year the question is scoped to
 * ("2026年1月26日的座谈会") picks the article, it does not answer anything, so it is left out.
 */
export function evidenceTerms(question: string, terms: string[]): string[] {
  return terms.filter((term) => !(/^\d{1,4}$/.test(term) && new RegExp(`(?<!\\d)${term}\\s*[年月日号]`).test(question)));
}

/** How much more the asked-about words weigh than the rest of the question. */
const FOCUS_EMPHASIS = 3;

/** Share of a partly matched term's weight its characters can earn (calibrated with the threshold). */
const SHARED_CHARACTER_CREDIT = 0.6;

// Numbers are exact: 全球第一 shares 全球第 with 全球第二 and means the opposite.
const CHINESE_NUMERAL = /[〇零一二三四五六七八九十百千万亿两]/u;

function sharedCharacters(term: string, text: string): number {
  const characters = [...term];
  if (characters.length < 2 || /[a-z0-9]/i.test(term) || CHINESE_NUMERAL.test(term)) return 0;
  return characters.filter((character) => /\p{Script=Han}/u.test(character) && text.includes(character)).length / characters.length;
}

const SINGLE_HOLDER_POST = /^(?:副?(?:市|区|县|镇)长|(?:市|区|县)?委?书记|(?:市|区)?政协主席)$/u;

const ORGANISATION_END = /(?:公司|集团|大学|医院|研究院|研究所|中心|银行|协会|学会|事务所|学校|中学|小学)$/u;

/**
 * A term that names one thing: a model or product in Latin letters, a number or year, an
 * organisation, a person's name (a surname and one or two characters that are no dictionary
 * word). The archive lacking such a term means it does not cover the question; an ordinary
 * word missing only lowers the evidence (the article may say it another way).
 */
export function isNamedThing(term: string): boolean {
  return term.split('|').every((alternative) => {
    if (/\d/.test(alternative)) return true;
    // A post one person holds (市长, 区委书记, 政协主席) names that person.
    if (SINGLE_HOLDER_POST.test(alternative)) return true;
    if (ORGANISATION_END.test(alternative) && alternative.length >= 4) return true;
    // A full name of three characters (or four with a compound surname) that holds no common word;
    // two-character strings starting with a surname character are too often ordinary words.
    const surname = surnameLengthAt(alternative, 0);
    if (!surname || alternative.length !== surname + 2 || !/^\p{Script=Han}+$/u.test(alternative)) return false;
    if (isCommonWord(alternative) || isCommonWord(alternative.slice(-2))) return false;
    return surname === 2 || !isCommonWord(alternative.slice(0, 2));
  });
}

/** A sentence of a retrieved passage, with what it is about. */
export interface Sentence {
  chunk: RetrievedChunk;
  /** Rank of its passage in retrieval (0 = best). */
  rank: number;
  document: StoredDocument;
  /** Offsets in the document. */
  start: number;
  end: number;
  text: string;
  /** The member speaking, when the article has introduced one. */
  speaker?: string;
  /** Terms to keep when the sentence is shortened (default: the question's). */
  focus?: string[];
}

export function sentencesOf(index: ArticleIndex, chunk: RetrievedChunk, rank: number): Sentence[] {
  const document = index.corpus.documents.get(chunk.docId)!;
  return withAttributionsJoined(splitSentences(chunk.text, chunk.start), document.text)
    .map((span) => ({
      chunk,
      rank,
      document,
      start: span.start,
      end: span.end,
      text: document.text.slice(span.start, span.end),
      speaker: speakerOf(document, span),
    }))
    // Headings and fragments ("黄宇红展望道。") say nothing on their own.
    .filter((sentence) => !isHeadingLine(sentence.text) && sentence.text.length >= 10);
}

/** The same speaker's sentences just before and just after one, in its passage or the next. */
export function ownNeighbours(index: ArticleIndex, sentence: Sentence): { before?: Sentence; after?: Sentence } {
  const next = index.corpus.nextChunk(sentence.chunk);
  const around = [...sentencesOf(index, sentence.chunk, sentence.rank), ...(next ? sentencesOf(index, { ...next, score: 0 }, sentence.rank) : [])].filter(
    (other) => other.speaker === sentence.speaker && other.start !== sentence.start,
  );
  return { before: around.filter((other) => other.end <= sentence.start).at(-1), after: around.find((other) => other.start >= sentence.end) };
}

// Reports sometimes close the attribution with a full stop ("…院长黄宇红表示。而无论是AI还是6G,…"):
// the words attributed are the next sentence, and the attribution alone says nothing.
const ATTRIBUTION_ONLY = new RegExp(`${REPORTING_VERB}[。：:]$`, 'u');

/** Each attribution-only sentence is read together with the sentence it introduces (same paragraph). */
function withAttributionsJoined(spans: { start: number; end: number }[], text: string): { start: number; end: number }[] {
  const joined: { start: number; end: number }[] = [];
  for (const span of spans) {
    const previous = joined.at(-1);
    const between = previous ? text.slice(previous.end, span.start) : '\n';
    // Right after a closing quotation mark (“……。”黄宇红表示。) the attribution names that quotation's speaker, not the next sentence's.
    const attributesQuotation = previous !== undefined && /[”」』]$/.test(text.slice(0, previous.start));
    if (previous && !between.includes('\n') && !attributesQuotation && ATTRIBUTION_ONLY.test(text.slice(previous.start, previous.end).trim())) previous.end = span.end;
    else joined.push({ ...span });
  }
  return joined;
}

function isHeadingLine(text: string): boolean {
  return text.length <= 40 && !/[。！？；!?;，,]/.test(text);
}

/** The sentence with what a reader knows around it: which forum, which day, who speaks. */
export function sentenceContext(sentence: Sentence): string {
  const { document } = sentence;
  // Who the speaker is belongs to what a reader knows: "中科闻歌老板说的…" is about 王磊's sentences.
  const person = sentence.speaker ? document.people.find((p) => p.name === sentence.speaker) : undefined;
  return [sentence.text, sentence.speaker ?? '', person ? `${person.affiliation}${person.role}` : '', chineseDate(document.date), document.session ?? '', document.title].join(' ');
}

/** True when the sentence refers to its speaker only by pronoun, or names nobody. */
export function needsSpeaker(sentence: Sentence, shown: string): boolean {
  if (!sentence.speaker || shown.includes(sentence.speaker)) return false;
  return startsWithPronoun(sentence.text) || /[他她]/.test(shown) || sentence.text.includes(sentence.speaker) || /建议|表示|指出|认为/.test(shown);
}

/**
 * Shortens a long sentence to the run of clauses that holds most of the question's terms,
 * marking cuts with "…". Short sentences are returned whole.
 */
export function trimSentence(text: string, terms: string[], maxChars: number): string {
  if (text.length <= maxChars) return text;
  const clauses: Span[] = splitClauses(text);
  let best = { start: 0, end: Math.min(text.length, maxChars), score: -1 };
  for (let first = 0; first < clauses.length; first++) {
    for (let last = first; last < clauses.length; last++) {
      const start = clauses[first]!.start;
      const end = clauses[last]!.end;
      if (end - start > maxChars) break;
      // Prefer more of the question's terms, then the longer span (more of the answer).
      const score = coverage(terms, text.slice(start, end)) + (end - start) / (maxChars * 100);
      if (score > best.score) best = { start, end, score };
    }
  }
  let shown = text.slice(best.start, best.end).replace(/[，,、：:]$/, '');
  if (best.start > 0) shown = `…${shown}`;
  if (best.end < text.length) shown = `${shown}…`;
  return shown;
}

const ASKS_YEAR = /哪年|哪一年|几几年|什么时候|何时|哪个时候|\bwhat year\b|\bwhen\b/i;
const STATES_TIME = /(?:19|20)\d{2}|[一二三四五六七八九十〇零]{2,4}年|\d{1,2}月|年底|年初|上半年|下半年|明年|今年|去年|前后|以前|之前|以后|之后/u;

/**
 * The kind of answer the question asks for is in the text: a question asking when needs a time
 * expression. (Counts and quantities are checked by countUnit/statesCount; who by the speaker.)
 */
export function answersKind(question: string, text: string): boolean {
  if (ASKS_YEAR.test(question) && !STATES_TIME.test(text)) return false;
  if (ASKS_DONE.test(question) && !STATES_DONE.test(text) && PROPOSES.test(text)) return false;
  return true;
}

// Grammatical aspect: a question in the perfective ("已经建成了多少个", "has it already been used in")
// asks what has been done. A sentence that only proposes, plans or calls for it (建议建设, 急需拓展,
// 力争到2027年) is about the same thing but does not answer that; one stating a done state
// (已建成, 累计, 截至, 目前) may. 了 is left out: it also ends clauses about other things.
const ASKS_DONE = /已经|已(?=[建开用投实完覆达形成有])|\balready\b/i;
const STATES_DONE = /已|累计|建成|截至|截止|目前|现有|共有|达到|先后/;
const PROPOSES = /建议|推动|急需|亟需|亟待|应当|应该|要|希望|呼吁|计划|力争|将|拟|倡议/;

// A number with the two characters before it: 全球第一, 培养200, 三次会议's 届三.
export const NUMBER_IN_CONTEXT = /(\p{Script=Han}{2})(第?(?:[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百两]+))/gu;

/**
 * The text states, in the same words, another number than the question: asked "位列全球第一",
 * the report says "位列全球第二". A question built on a number the report contradicts is not
 * answered by the sentence that contradicts it.
 */
export function contradictsNumber(question: string, text: string): boolean {
  for (const [, context, number] of question.matchAll(NUMBER_IN_CONTEXT)) {
    const stated = new RegExp(`${context}(第?(?:[0-9]+(?:\\.[0-9]+)?|[一二三四五六七八九十百两]+))`, 'u').exec(text);
    if (stated && numeralValue(stated[1]!) !== numeralValue(number!) && !text.includes(`${context}${number}`)) return true;
  }
  return false;
}

// "这一说法是否准确?", "X是京东方的吧?", "is that right?": the question states something to check.
const VERIFY = /是否(?:准确|属实|正确|如此)|对吗|对不对|是不是真的|是真的吗|没错吧|吧\s*[？?]?\s*$|\b(?:is|was) (?:it|that|this) (?:true|right|correct|accurate)\b|\b(?:right|correct|true)\s*\?\s*$/iu;

/** The question asks to check a claim: a sentence contradicting the claim is its answer (the correction). */
export function asksToVerify(question: string): boolean {
  return VERIFY.test(question);
}

const DIGIT_VALUES: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 42, 四十二, 第二 → their value (第 dropped), so 四十二次 agrees with 42次. */
function numeralValue(text: string): number | string {
  const bare = text.replace(/^第/, '');
  if (/^[0-9.]+$/.test(bare)) return Number(bare);
  let total = 0;
  let digit = 0;
  for (const character of bare) {
    if (character in DIGIT_VALUES) digit = DIGIT_VALUES[character]!;
    else if (character === '十') (total += (digit || 1) * 10), (digit = 0);
    else if (character === '百') (total += (digit || 1) * 100), (digit = 0);
    else return bare;
  }
  return total + digit;
}
