/**
 * Numbers and dates as comparable values, so "42", "４２" and "四十二" are the same claim and
 * "2026年1月26日" in an answer matches "1月26日" in an article dated 2026-01-26.
 *
 * Two readings: `strict` (what an answer sentence confidently claims) and `generous` (everything a
 * passage could be said to state). A claim is supported when strict ⊆ generous, so the asymmetry
 * errs toward keeping sentences whose numerals are incidental ("一些", "三是").
 */

export interface DateFact {
  year?: number;
  month?: number;
  day?: number;
}

const DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const SMALL_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const CN = '零〇一二两三四五六七八九十百千万亿';
const CN_RUN = new RegExp(`[${CN}]+`, 'gu');
/** Runs that are words, not numbers ("十分重要", "千万不要", "万一"). */
const NOT_NUMBERS = new Set(['十分', '千万', '万一', '一一', '千千万万', '万万']);

/** A Chinese numeral ("四十二", "十四", "二〇二六", "一百零五", "3万" handled elsewhere) → value. */
export function parseChineseNumeral(text: string): number | undefined {
  if (!text) return undefined;
  const chars = [...text];
  // Digit-by-digit form: 二〇二六 → 2026.
  if (chars.length > 1 && chars.every((char) => char in DIGIT)) {
    return Number(chars.map((char) => DIGIT[char]).join(''));
  }
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  for (const char of chars) {
    if (char in DIGIT) {
      if (digit !== undefined && digit !== 0) return undefined;
      digit = DIGIT[char];
    } else if (char in SMALL_UNIT) {
      // Only 十 may stand without a digit before it (十四 = 14); 百 alone is not a number.
      if (digit === undefined && char !== '十') return undefined;
      if (digit === undefined && (section > 0 || total > 0)) return undefined;
      section += (digit ?? 1) * SMALL_UNIT[char]!;
      digit = undefined;
    } else if (char === '万') {
      const value = section + (digit ?? 0);
      if (value === 0) return undefined;
      total += value * 10_000;
      section = 0;
      digit = undefined;
    } else if (char === '亿') {
      const value = total + section + (digit ?? 0);
      if (value === 0) return undefined;
      total = value * 100_000_000;
      section = 0;
      digit = undefined;
    } else return undefined;
  }
  return total + section + (digit ?? 0);
}

/** Values of a numeral run, read greedily as the longest valid numerals ("十五五" → 15, 5). */
function runValues(run: string): number[] {
  const chars = [...run];
  const values: number[] = [];
  let i = 0;
  while (i < chars.length) {
    let found = false;
    for (let j = chars.length; j > i; j--) {
      const value = parseChineseNumeral(chars.slice(i, j).join(''));
      if (value !== undefined) {
        values.push(value);
        i = j;
        found = true;
        break;
      }
    }
    if (!found) i++;
  }
  return values;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAME = '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?';
const NUM = `(\\d{1,4}|[${CN}]{1,4})`;
const DATE_PATTERNS: { pattern: RegExp; read: (m: RegExpMatchArray) => DateFact }[] = [
  { pattern: /(\d{4})-(\d{1,2})-(\d{1,2})/g, read: (m) => ({ year: num(m[1]), month: num(m[2]), day: num(m[3]) }) },
  {
    pattern: new RegExp(`${NUM}\\s*年\\s*${NUM}\\s*月(?:\\s*${NUM}\\s*[日号])?`, 'gu'),
    read: (m) => ({ year: num(m[1]), month: num(m[2]), day: num(m[3]) }),
  },
  { pattern: new RegExp(`${NUM}\\s*月\\s*${NUM}\\s*[日号]`, 'gu'), read: (m) => ({ month: num(m[1]), day: num(m[2]) }) },
  { pattern: new RegExp(`${NUM}\\s*年(?![代级度轻])`, 'gu'), read: (m) => ({ year: num(m[1]) }) },
  { pattern: new RegExp(`(?<![\\d${CN}个])${NUM}\\s*月(?!份?[\\d${CN}])`, 'gu'), read: (m) => ({ month: num(m[1]) }) },
  {
    pattern: new RegExp(`\\b${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    read: (m) => ({ month: monthNumber(m[1]), day: num(m[2]), year: num(m[3]) }),
  },
  {
    pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_NAME}(?:,?\\s+(\\d{4}))?\\b`, 'gi'),
    read: (m) => ({ day: num(m[1]), month: monthNumber(m[2]), year: num(m[3]) }),
  },
  { pattern: new RegExp(`\\b${MONTH_NAME}\\s+(\\d{4})\\b`, 'gi'), read: (m) => ({ month: monthNumber(m[1]), year: num(m[2]) }) },
  // A bare year in English text: "the 2025 forum".
  { pattern: /(?<![\d.])((?:19|20)\d{2})(?![\d.])(?=\s|$|[^\d年])/g, read: (m) => ({ year: num(m[1]) }) },
];

function num(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  return parseChineseNumeral(text);
}

function monthNumber(name: string | undefined): number | undefined {
  const index = MONTHS.indexOf((name ?? '').toLowerCase().slice(0, 3));
  return index >= 0 ? index + 1 : undefined;
}

function plausible(date: DateFact): boolean {
  if (date.year !== undefined && (date.year < 1900 || date.year > 2100)) return false;
  if (date.month !== undefined && (date.month < 1 || date.month > 12)) return false;
  if (date.day !== undefined && (date.day < 1 || date.day > 31)) return false;
  return date.year !== undefined || date.month !== undefined;
}

/** The dates in a text, and the text with them blanked out (so their digits are not read again as numbers). */
export function extractDates(text: string): { dates: DateFact[]; rest: string } {
  let rest = text.normalize('NFKC');
  const dates: DateFact[] = [];
  for (const { pattern, read } of DATE_PATTERNS) {
    rest = rest.replace(pattern, (...args) => {
      const match = args.slice(0, -2) as unknown as RegExpMatchArray;
      const date = Object.fromEntries(Object.entries(read(match)).filter(([, v]) => v !== undefined)) as DateFact;
      if (!plausible(date)) return match[0]!;
      dates.push(date);
      return ' '.repeat(match[0]!.length);
    });
  }
  return { dates, rest };
}

const ARABIC = /(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])(\s*[万亿])?/g;

/**
 * The numbers a text states (dates excluded: see extractDates). `strict` skips the numerals that
 * are usually words (一些, 两者, 统一) and lone 一/两; `generous` reads every numeral character too.
 */
export function extractNumbers(text: string, mode: 'strict' | 'generous'): Set<number> {
  const normalized = text.normalize('NFKC');
  const values = new Set<number>();
  for (const match of normalized.matchAll(ARABIC)) {
    const base = Number(`${match[1]!.replace(/,/g, '')}${match[2] ? `.${match[2]}` : ''}`);
    const unit = match[3]?.trim();
    const scaled = unit === '万' ? base * 10_000 : unit === '亿' ? base * 100_000_000 : base;
    values.add(round(scaled));
    if (mode === 'generous') values.add(base);
  }
  for (const match of normalized.matchAll(CN_RUN)) {
    const run = match[0];
    const after = normalized.slice(match.index! + run.length, match.index! + run.length + 1);
    if (mode === 'strict') {
      if (NOT_NUMBERS.has(run)) continue;
      const parsed = runValues(run);
      // A lone 一/二/两 is nearly always a word or an article ("一项", "两者"), not a fact to check.
      if ([...run].length === 1 && (parsed[0] ?? 0) <= 2 && !/[届次号]/.test(after)) continue;
      for (const value of parsed) if (value > 0) values.add(value);
    } else {
      for (const value of runValues(run)) values.add(value);
      for (const char of run) if (char in DIGIT) values.add(DIGIT[char]!);
    }
  }
  return values;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** True when `claim` is stated by one of `stated`, a missing year taken from the article's date. */
export function dateSupported(claim: DateFact, stated: DateFact[], articleYear?: number): boolean {
  return stated.some((date) => {
    const year = date.year ?? (date.month !== undefined ? articleYear : undefined);
    if (claim.year !== undefined && claim.year !== year) return false;
    if (claim.month !== undefined && claim.month !== date.month) return false;
    if (claim.day !== undefined && claim.day !== date.day) return false;
    return true;
  });
}
