/**
 * When a forum took place, from what a report says. Reports date their lede ("1月22日，…举行")
 * and often leave the year to the page, the session or the text around it.
 */
import { toIsoDate } from './metadata.js';

/**
 * A CPPCC term (届) lasts five years with one plenary session (次会议) a year; the Beijing
 * CPPCC's 14th term held its first session in 2023. So "十四届二次会议" is 2024.
 */
const FOURTEENTH_TERM_FIRST_YEAR = 2023;
const NUMERALS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

/** "十四" → 14, "二" → 2, "十" → 10 (the small numbers terms and sessions use). */
export function smallChineseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const match = /^([一二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!match || !text) return undefined;
  if (!match[2]) return match[1] && !match[3] ? NUMERALS[match[1]] : undefined;
  return (match[1] ? NUMERALS[match[1]]! : 1) * 10 + (match[3] ? NUMERALS[match[3]]! : 0);
}

/** The year of a plenary session named in the text ("十四届二次会议" → 2024), if any. */
export function plenarySessionYear(text: string): number | undefined {
  const match = /(?:第)?([一二三四五六七八九十\d]{1,3})届(?:第)?([一二三四五六七八九十\d]{1,2})次(?:全体)?会议/.exec(text);
  if (!match) return undefined;
  const term = smallChineseNumber(match[1]!);
  const session = smallChineseNumber(match[2]!);
  if (!term || !session || session > 5) return undefined;
  return FOURTEENTH_TERM_FIRST_YEAR + (term - 14) * 5 + (session - 1);
}

/**
 * The date of the forum from the article's opening paragraphs: a full date in the lede, or its
 * month and day with the year from (in order) the page's publication date, the plenary
 * session it names, or the first year the opening paragraphs mention that is not a target
 * ("到2027年", "力争2028年" look ahead).
 */
export function forumDate(paragraphs: string[], published?: string): string | undefined {
  const opening = paragraphs.slice(0, 2).join('\n');
  const lede = paragraphs[0] ?? '';
  const full = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(lede);
  if (full) return toIsoDate(full[0]);
  const monthDay = /(?<![\d年])(\d{1,2})月(\d{1,2})日/.exec(lede);
  if (!monthDay) return published ?? fullDateIn(opening);
  const [month, day] = [Number(monthDay[1]), Number(monthDay[2])];
  let year: number | undefined;
  if (published) {
    const publishedYear = Number(published.slice(0, 4));
    const publishedMonth = Number(published.slice(5, 7));
    // A report is published on the day or soon after: a December meeting reported in January is last year's.
    year = month > publishedMonth + 1 ? publishedYear - 1 : publishedYear;
  }
  year ??= plenarySessionYear(opening);
  year ??= yearMentioned(opening);
  return year ? toIsoDate(`${year}-${month}-${day}`) : undefined;
}

function fullDateIn(text: string): string | undefined {
  const match = /(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(text);
  return match ? toIsoDate(match[0]) : undefined;
}

/** The first "20xx年" not announced as a target ("到/至/力争/预计 2027年"). */
function yearMentioned(text: string): number | undefined {
  for (const match of text.matchAll(/(到|至|力争|预计|计划|争取|于)?\s*((?:19|20)\d{2})\s*年/g)) {
    if (match[1] && match[1] !== '至') continue;
    return Number(match[2]);
  }
  return undefined;
}
