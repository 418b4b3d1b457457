import { REPORTING_VERB } from '../text/reporting-verbs.js';
/** A member who spoke, as the article introduces them. */
export interface Person {
  name: string;
  /** Organisation, e.g. "中国移动通信研究院". */
  affiliation: string;
  /** Post, e.g. "院长". */
  role: string;
  /** Sector (界别) when the article says, e.g. "科技界". */
  sector?: string;
  /** Offset of the introduction in the cleaned text. */
  start: number;
}

const PRONOUN = /^(?:[“"]?\s*)?(此外，|此外,|同时，|同时,)?(她|他)/;
const ATTRIBUTION = new RegExp(`^[^。！？\\n]{0,40}?${REPORTING_VERB}`, 'u');

// Someone other than the last named member takes the floor: an unnamed member, members in
// general, or an official ("有委员提出", "委员们建议", "有关负责同志表示", "副主席…讲话").
const OTHER_SPEAKER = /有(?:的)?(?:委员|常委)|委员们|常委们|负责同志|负责人表示|在讲话中|讲话时|主持时|在总结时|主持人/;

/**
 * Where the text names each member: the full name, and "林委员"/"蔺常委" when no other member
 * shares the surname.
 */
function mentionsOf(people: Person[], person: Person): string[] {
  const surname = person.name.slice(0, person.name.length >= 4 ? 2 : 1);
  const shared = people.some((other) => other !== person && other.name.startsWith(surname));
  return shared ? [person.name] : [person.name, `${surname}委员`, `${surname}常委`];
}

function firstMention(people: Person[], text: string, start: number, end: number): Person | undefined {
  let best: { person: Person; at: number } | undefined;
  for (const person of people) {
    for (const mention of mentionsOf(people, person)) {
      const at = text.indexOf(mention, start);
      if (at >= 0 && at + mention.length <= end && (!best || at < best.at)) best = { person, at };
    }
  }
  return best?.person;
}

/**
 * Who is speaking in text[start, end): a member named in it; for a quotation, the member the
 * attribution right after it names ("“…。”来自科技界的…黄宇红表示。"); otherwise the member last
 * named before it, unless someone else has taken the floor since (reports say "她建议…" after
 * introducing a member once, and "有委员提出…" for someone they do not name).
 */
export function speakerAt(people: Person[], text: string, start: number, end = start): Person | undefined {
  if (/[”"」]\s*$/.test(text.slice(start, end))) {
    const after = text.slice(end, end + 60);
    const attribution = ATTRIBUTION.exec(after);
    if (attribution) {
      const named = firstMention(people, attribution[0], 0, attribution[0].length);
      if (named) return named;
    }
  }
  const inside = firstMention(people, text, start, end);
  if (inside) return inside;
  return lastBefore(people, text, start, end);
}

// A line of its own, short and unpunctuated: a section heading.
const SECTION_HEADING = /\n[^\n。！？；，,!?;]{2,40}\n/u;

// How far into a sentence its subject is looked for: "区科委有关负责同志在回应时表示，…" is
// spoken by the official, whichever member spoke before.
const SUBJECT_CHARS = 20;

function lastBefore(people: Person[], text: string, offset: number, end: number): Person | undefined {
  let current: Person | undefined;
  let currentAt = -1;
  for (const person of people) {
    for (const mention of mentionsOf(people, person)) {
      const at = text.lastIndexOf(mention, offset - 1);
      if (at >= 0 && at > currentAt) {
        current = person;
        currentAt = at;
      }
    }
  }
  if (current && OTHER_SPEAKER.test(text.slice(currentAt, Math.min(end, offset + SUBJECT_CHARS)))) return undefined;
  // A section heading since ("推动人工智能和高端制造场景融合") opens the next member's part: what
  // follows it, before that member is named, is the report's lead-in, nobody's speech.
  if (current && SECTION_HEADING.test(text.slice(currentAt, offset))) return undefined;
  return current;
}

/** True when a sentence refers to its speaker by pronoun only. */
export function startsWithPronoun(sentence: string): boolean {
  return PRONOUN.test(sentence);
}

/** Person names jieba cuts as one token: lets callers ask whether a question names a member. */
export function namesIn(text: string, people: Person[]): Person[] {
  return people.filter((person) => text.includes(person.name));
}

