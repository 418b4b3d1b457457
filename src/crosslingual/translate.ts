import type { Person } from '../corpus/people.js';
import type { ArticleIndex } from '../index/article-index.js';
import { englishWords, lemma, wordForms } from '../lexicon/english.js';
import { functionPhraseAt, isEnglishFrameWord, isEnglishStopword } from './english.js';

export interface Translation {
  /** Members named in the question. */
  people: Person[];
  /**
   * One entry per English topic word or phrase: its Chinese alternatives joined by "|"
   * (any one found counts), or the English word itself when nothing in the articles translates it.
   */
  termGroups: string[];
  /**
   * Untranslated words written as names (CSRC, WeLion: two capitals or more), lowercased: a
   * name the articles do not hold means they do not cover the question.
   */
  names: string[];
  /** Chinese text to retrieve with: names and the translated terms. */
  searchText: string;
}

const MAX_PHRASE_WORDS = 6;
const MAX_ALTERNATIVES = 3;

/**
 * Turns an English question into Chinese search terms with no model: names through pinyin,
 * words and phrases through CC-CEDICT and a domain glossary, keeping only terms the articles
 * use. Longer phrases win ("solid state battery" → 固态电池 before "battery" → 电池).
 */
export function translateQuestion(index: ArticleIndex, question: string): Translation {
  const { members } = index.corpus;
  const people = members.spelledIn(question);
  const nameWords = new Set(people.flatMap((person) => members.aliasesOf(person.name).flatMap((alias) => alias.split(' '))));
  const { dates, scopes, rest } = chineseDates(question);
  const words = englishWords(rest).filter((word) => !nameWords.has(word));
  const lexicon = index.words.lexicon;

  const termGroups: string[] = [...dates];
  const names: string[] = [];
  // Words the question capitalises like a name or an acronym (not just at a sentence start).
  const writtenAsName = new Set((rest.match(/\b[A-Za-z]*[A-Z][a-z]*[A-Z][A-Za-z]*\b/g) ?? []).map((word) => word.toLowerCase().replace(/'s$/, '')));
  for (let i = 0; i < words.length; ) {
    const connective = functionPhraseAt(words, i);
    if (connective) {
      i += connective;
      continue;
    }
    let matched = 0;
    for (let size = Math.min(MAX_PHRASE_WORDS, words.length - i); size >= 1 && !matched; size--) {
      const phrase = words.slice(i, i + size);
      if (size === 1 && (isEnglishStopword(phrase[0]!) || isEnglishFrameWord(phrase[0]!))) break;
      if (size > 1 && (isEnglishStopword(phrase[0]!) || isEnglishStopword(phrase[size - 1]!))) continue;
      const terms = lookup(lexicon, phrase);
      if (terms) {
        termGroups.push(terms.slice(0, MAX_ALTERNATIVES).join('|'));
        matched = size;
      }
    }
    if (!matched) {
      const word = words[i]!;
      // "the 14th CPPCC": an ordinal is written 十四届/第十四 in the articles.
      const ordinal = /^(\d{1,2})(?:st|nd|rd|th)$/.exec(word);
      if (ordinal) termGroups.push(chineseNumeral(Number(ordinal[1])));
      else if (!isEnglishStopword(word) && !isEnglishFrameWord(word) && !/^\d{4}$/.test(word)) {
        termGroups.push(lemma(word));
        if (writtenAsName.has(word)) names.push(word);
      }
      matched = 1;
    }
    i += matched;
  }
  const chinese = termGroups.flatMap((group) => group.split('|')).filter((term) => !/^[a-z]+$/.test(term) || term === 'ai' || term === '6g');
  const years = question.match(/\b20\d{2}\b/g) ?? [];
  // The members named are topic too: "What did Huang Yuhong propose?" is about 黄宇红.
  termGroups.unshift(...people.map((person) => person.name));
  return {
    people,
    termGroups: [...new Set(termGroups)],
    names: [...new Set(names)],
    searchText: [...people.map((person) => person.name), ...years.map((year) => `${year}年`), ...scopes, ...chinese].join(' '),
  };
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = `(${MONTHS.map((month) => `${month.slice(0, 3)}(?:${month.slice(3)})?`).join('|')})\\.?`;
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const MONTH_DAY = new RegExp(`\\b${MONTH}\\s+${DAY}\\b|\\b${DAY}\\s+(?:of\\s+)?${MONTH}\\b`, 'gi');
const MONTH_YEAR = new RegExp(`\\b${MONTH}\\s+(20\\d{2})\\b`, 'gi');

/**
 * "January 26", "26th of Jan." → 1月26日, the way the articles write dates; taken out of the
 * question before word lookup ("may" and "march" are words too, so only next to a day).
 */
function chineseDates(question: string): { dates: string[]; scopes: string[]; rest: string } {
  const dates: string[] = [];
  const scopes: string[] = [];
  const monthOf = (name: string) => MONTHS.findIndex((month) => month.startsWith(name.toLowerCase().slice(0, 3))) + 1;
  // "the January 2025 forum" names the forum's month: a scope (2025年1月), not a word to find.
  const withoutMonths = question.replace(MONTH_YEAR, (_match, month, year) => {
    scopes.push(`${year}年${monthOf(String(month))}月`);
    return ` ${year} `;
  });
  const rest = withoutMonths.replace(MONTH_DAY, (_match, monthFirst, dayAfter, dayFirst, monthAfter) => {
    const month = MONTHS.findIndex((name) => name.startsWith(String(monthFirst ?? monthAfter).toLowerCase().slice(0, 3))) + 1;
    const day = Number(dayAfter ?? dayFirst);
    if (month > 0 && day >= 1 && day <= 31) dates.push(`${month}月${day}日`);
    return ' ';
  });
  return { dates, scopes, rest };
}

function lookup(lexicon: Map<string, string[]>, words: string[]): string[] | undefined {
  const last = words.length - 1;
  for (const form of wordForms(words[last]!)) {
    const exact = lexicon.get([...words.slice(0, last), form].join(' '));
    if (exact?.length) return exact;
  }
  return undefined;
}

const DIGITS = '〇一二三四五六七八九';

/** 1–99 in Chinese numerals, as ordinals are written (14 → 十四, 20 → 二十, 2 → 二). */
export function chineseNumeral(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens > 1 ? DIGITS[tens] : ''}十${ones ? DIGITS[ones] : ''}`;
}
