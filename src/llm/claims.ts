/**
 * The checkable facts of an answer sentence (member names, numbers, dates, quoted Chinese) and
 * whether a set of passages states them all. What cannot be checked mechanically (a paraphrase of
 * a proposal) is left to the citation the model gave.
 */
import { pinyin } from 'pinyin-pro';
import type { ForumIndex } from '../index/forum-index.js';
import { cachedPer, NameFinder, peopleLookup } from '../index/lookups.js';
import { stripMarkers } from './markers.js';
import { dateSupported, extractDates, extractNumbers, type DateFact } from './numbers.js';
import { headerText, type PromptPassage } from './passages.js';

export interface KnownPerson {
  name: string;
  /** Matches the name romanised: "Huang Yuhong", "Yuhong Huang", "HUANG Yu-hong". */
  romanised: RegExp;
}

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
export const knownPeople = cachedPer((index: ForumIndex): KnownPerson[] => peopleLookup(index).names.map(knownPerson));

export function knownPerson(name: string): KnownPerson {
  return { name, romanised: romanisedPattern(name) };
}

function romanisedPattern(name: string): RegExp {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' }).map((s) =>
    s.toLowerCase().replace(/ü/g, '(?:u|v|yu|ü)'),
  );
  const surnameLength = syllables.length >= 4 ? 2 : 1;
  const surname = syllables.slice(0, surnameLength).join('');
  const given = syllables.slice(surnameLength).join("[\\s'-]?");
  return new RegExp(`\\b(?:${surname}\\s*${given}|${given}\\s+${surname})\\b`, 'i');
}

/** Lowercase, full-width folded, without blanks and punctuation: for verbatim comparisons. */
export function squash(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}]/gu, '');
}

const QUOTED = /[“「『《‘"]([^“”「」『』《》‘’"\n]{2,80})[”」』》’"]/gu;
const PARENTHESISED = /[（(]([^()（）\n]{2,80})[)）]/gu;
const HAN = /\p{Script=Han}/u;

function isEnglish(text: string): boolean {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return latin > han * 2;
}

export function claimsOf(sentence: string, people: readonly KnownPerson[]): Claims {
  const text = stripMarkers(sentence);
  const finder = peopleFinder(people);
  const names = finder.named(text).map((person) => person.name);
  const quotes: string[] = [];
  const addQuote = (quote: string) => {
    if (!HAN.test(quote) || names.includes(quote.trim())) return;
    if (finder.byName.has(quote.trim())) return;
    if (squash(quote).length >= 2) quotes.push(quote.trim());
  };
  for (const match of text.matchAll(QUOTED)) addQuote(match[1]!);
  if (isEnglish(text)) for (const match of text.matchAll(PARENTHESISED)) addQuote(match[1]!);
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
  const names = new Set(peopleFinder(people).byName.in(all).map((person) => person.name));
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

/**
 * The members a text names, as `people.filter((p) => text.includes(p.name) || p.romanised.test(text))`
 * finds them (same members, same order), without testing every member's pattern on every sentence.
 */
class PeopleFinder {
  readonly byName: NameFinder<KnownPerson>;
  /** Letters a romanised match must contain once blanks, "'" and "-" are removed: "huangyuhong" → positions. */
  private readonly spelled: NameFinder<{ key: string; position: number }>;
  /** Positions whose pattern is not of the form romanisedPattern makes (ü, "·", a hand-made pattern): always tested. */
  private readonly untyped: number[] = [];

  constructor(private readonly people: readonly KnownPerson[]) {
    this.byName = new NameFinder(people, (person) => person.name);
    const keys: { key: string; position: number }[] = [];
    people.forEach((person, position) => {
      const spelling = spellingOf(person.romanised);
      if (!spelling) this.untyped.push(position);
      else for (const key of new Set([spelling.surname + spelling.given, spelling.given + spelling.surname])) keys.push({ key, position });
    });
    this.spelled = new NameFinder(keys, (entry) => entry.key);
  }

  named(text: string): KnownPerson[] {
    const hits = new Set(this.byName.positionsOf(this.byName.namesIn(text)));
    const candidates = new Set(this.untyped);
    // A romanised match is ASCII letters with blanks, "'" or "-" between: squashed, its letters are one run.
    for (const [run] of text.toLowerCase().replace(/[\s'-]/g, '').matchAll(/[a-z]+/g)) {
      for (const entry of this.spelled.ofNames(this.spelled.namesIn(run))) candidates.add(entry.position);
    }
    for (const position of candidates) if (!hits.has(position) && this.people[position]!.romanised.test(text)) hits.add(position);
    return [...hits].sort((a, b) => a - b).map((position) => this.people[position]!);
  }
}

// The pattern romanisedPattern makes for a name of plain pinyin syllables:
// \b(?:<surname>\s*<given syllables joined by [\s'-]?>|<given…>\s+<surname>)\b, case-insensitive.
const PLAIN_PATTERN = /^\\b\(\?:([a-z]+)\\s\*([a-z]+(?:\[\\s'-\]\?[a-z]+)*)\|\2\\s\+\1\)\\b$/;

/** The surname and given-name letters a pattern of that form matches, or undefined for any other pattern. */
function spellingOf(pattern: RegExp): { surname: string; given: string } | undefined {
  if (pattern.flags !== 'i') return undefined;
  const match = PLAIN_PATTERN.exec(pattern.source);
  return match ? { surname: match[1]!, given: match[2]!.replaceAll("[\\s'-]?", '') } : undefined;
}

/** One finder per list of members (knownPeople's list lives as long as its index); a list is read once, not after changes. */
const peopleFinder = cachedPer((people: readonly KnownPerson[]) => new PeopleFinder(people));
