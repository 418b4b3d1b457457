/**
 * The checkable facts of an answer sentence (member names, numbers, dates, quoted Chinese) and
 * whether a set of passages states them all. What cannot be checked mechanically (a paraphrase of
 * a proposal) is left to the citation the model gave.
 */
import { writtenInEnglish } from '../../text/language.js';
import type { MemberSpelling } from '../../corpus/member-table.js';
import { romanisedPattern } from '../../corpus/name-spellings.js';
import type { ArticleIndex } from '../../index/article-index.js';
import { stripMarkers } from './markers.js';
import { dateSupported, extractDates, extractNumbers, type DateFact } from './numbers.js';
import { headerText, type PromptPassage } from './passages.js';

/** A member's name, and the pattern that matches it romanised ("Huang Yuhong", "HUANG Yu-hong"). */
export type KnownPerson = Pick<MemberSpelling, 'name' | 'romanised'>;

export interface Claims {
  names: string[];
  numbers: number[];
  /** The numbers written as shares (26%, 26 percent): a date's day is no share. */
  shares?: number[];
  dates: DateFact[];
  /** Chinese text the sentence presents as verbatim: “quoted”, 《titled》, or (in parentheses) in English. */
  quotes: string[];
}

export interface Evidence {
  passage: PromptPassage;
  squashed: string;
  numbers: Set<number>;
  /** The numbers the text itself writes, without the day, month and year parts of its dates. */
  written: Set<number>;
  dates: DateFact[];
  names: Set<string>;
  articleYear?: number;
}

/** Every member the articles introduce, with a pattern for the romanised name. */
export function knownPeople(index: ArticleIndex): readonly KnownPerson[] {
  return index.corpus.members.spellings;
}

export function knownPerson(name: string): KnownPerson {
  return { name, romanised: romanisedPattern(name) };
}

/** The members a text names, in Chinese or romanised, in list order. */
function peopleNamed(text: string, people: readonly KnownPerson[]): KnownPerson[] {
  return people.filter((person) => text.includes(person.name) || person.romanised.test(text));
}

/** Lowercase, full-width folded, without blanks and punctuation: for verbatim comparisons. */
export function squash(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}]/gu, '');
}

const QUOTED = /[“「『《‘"]([^“”「」『』《》‘’"\n]{2,80})[”」』》’"]/gu;
const PARENTHESISED = /[（(]([^()（）\n]{2,80})[)）]/gu;
const HAN = /\p{Script=Han}/u;

export function claimsOf(sentence: string, people: readonly KnownPerson[]): Claims {
  const text = stripMarkers(sentence);
  const names = peopleNamed(text, people).map((person) => person.name);
  const quotes: string[] = [];
  const addQuote = (quote: string) => {
    if (!HAN.test(quote) || names.includes(quote.trim())) return;
    if (people.some((person) => person.name === quote.trim())) return;
    if (squash(quote).length >= 2) quotes.push(quote.trim());
  };
  for (const match of text.matchAll(QUOTED)) addQuote(match[1]!);
  if (writtenInEnglish(text)) for (const match of text.matchAll(PARENTHESISED)) addQuote(match[1]!);
  const { dates, rest } = extractDates(text);
  const shares = [...rest.matchAll(SHARE)].map((match) => Number(match[1]));
  return { names, numbers: [...extractNumbers(rest, 'strict')], ...(shares.length ? { shares } : {}), dates, quotes };
}

const SHARE = /(\d+(?:\.\d+)?)\s*(?:%|％|\s?percent\b|\s?per cent\b)/gi;

export function hasClaims(claims: Claims): boolean {
  return claims.names.length + claims.numbers.length + claims.dates.length + claims.quotes.length > 0;
}

/** What a passage states, its header (title, date, session, speaker) included: the model sees both. */
export function evidenceOf(passage: PromptPassage, people: readonly KnownPerson[]): Evidence {
  const all = `${headerText(passage)}\n${passage.chunk.text}`;
  const { dates, rest } = extractDates(all);
  const numbers = extractNumbers(rest, 'generous');
  const written = new Set(numbers);
  // A number may be named by its date part ("26日" → 26) or as a year.
  for (const date of dates) for (const value of [date.year, date.month, date.day]) if (value !== undefined) numbers.add(value);
  const names = new Set(people.filter((person) => all.includes(person.name)).map((person) => person.name));
  const year = Number(passage.document.date?.slice(0, 4));
  return { passage, squashed: squash(all), numbers, written, dates, names, articleYear: Number.isFinite(year) && year > 0 ? year : undefined };
}

/** The claims no passage in `evidence` states (empty: all supported). */
export function unsupportedClaims(claims: Claims, evidence: readonly Evidence[]): string[] {
  const missing: string[] = [];
  for (const name of claims.names) if (!evidence.some((e) => e.names.has(name))) missing.push(name);
  for (const number of claims.numbers) {
    // "26%" is not stated by a report dated the 26th.
    const share = claims.shares?.includes(number);
    if (!evidence.some((e) => (share ? e.written : e.numbers).has(number))) missing.push(String(number));
  }
  for (const date of claims.dates) {
    const stated = evidence.some(
      (e) => dateSupported(date, e.dates, e.articleYear) || (date.month === undefined && date.year !== undefined && e.numbers.has(date.year)),
    );
    if (!stated) missing.push([date.year, date.month, date.day].filter((v) => v !== undefined).join('-'));
  }
  for (const quote of claims.quotes) if (!evidence.some((e) => e.squashed.includes(squash(quote)))) missing.push(`“${quote}”`);
  return missing;
}
