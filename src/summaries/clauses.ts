/**
 * A member's proposal as a digest shows it: the proposal itself in a few whole clauses. The
 * sentence a report writes around a proposal carries what a one-line digest does not need and
 * what reads as a leftover out of context — the connective pointing back (有鉴于此), the occasion
 * (今年两会期间), the topic frame (在吸引全球顶尖AI人才方面), who says it (她建议), the ordinal of an
 * enumeration (二是) — see answering/report-prose.ts. Those leading clauses go; the clauses
 * that follow are kept whole, as many as fit, never cut inside.
 */
import type { Person } from '../corpus/people.js';
import { balanceQuotes } from '../answering/quotes.js';
import { ANAPHORIC_CONNECTIVE, ORDINAL, isOccasionOrTopic, isSayingClause, withoutSayingLead } from '../answering/report-prose.js';

/** A clause and the separator after it. */
interface Clause {
  text: string;
  separator: string;
}

const OPENERS = '“‘「『《（(';
const CLOSERS = '”’」』》）)';

/** Clauses at ，,；; outside quotation marks, titles and brackets (a title may hold commas). */
export function topLevelClauses(sentence: string): Clause[] {
  const clauses: Clause[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < sentence.length; i++) {
    const character = sentence[i]!;
    if (OPENERS.includes(character)) depth++;
    else if (CLOSERS.includes(character)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && /[，,；;]/.test(character)) {
      clauses.push({ text: sentence.slice(start, i), separator: character });
      start = i + 1;
    }
  }
  clauses.push({ text: sentence.slice(start), separator: '' });
  return clauses.filter((clause) => clause.text.trim());
}

// A clause that only says how or by whom (由区级平台公司牵头, 以北京6G实验室为基础): it needs the clause after it.
const MEANS = /^(?:由|以|按照|依托|借助|通过|结合|基于|利用)/u;
const MEANS_MAX_CHARS = 16;
// A clause that completes the one before (要…，就需要…; 只有…，才能…): the two are one thought.
const CONSEQUENCE = /^(?:就|才|则|便)/u;

/** The subjects a report gives a member: the name, 他/她, 王委员, and 委员. */
function subjectsOf(person: Person): string[] {
  const surname = person.name.slice(0, person.name.length >= 4 ? 2 : 1);
  return [person.name, `${surname}委员`, `${surname}常委`, '他', '她', '委员'];
}

/** Leading words that are not the proposal: an opening quotation mark, an ordinal, a connective. */
function withoutLeadingWords(clause: string): string {
  let text = clause.replace(/^\s*[“"「]/u, '');
  for (let changed = true; changed; ) {
    const before = text;
    text = text.replace(ORDINAL, '').replace(new RegExp(`${ANAPHORIC_CONNECTIVE.source}[，,、]?`, 'u'), '');
    changed = text !== before && text.length > 0;
  }
  return text;
}

/** The line names the member already: "黄宇红专门带来了…" → "专门带来了…" ("他所在的企业" keeps its 他). */
function withoutSubject(clause: string, person: Person): string {
  const match = new RegExp(`^(?:${person.name}|他|她)(?![所们的])`, 'u').exec(clause);
  return match && clause.length - match[0].length >= 6 ? clause.slice(match[0].length) : clause;
}

/**
 * The proposal of `sentence` by `person` in whole clauses of at most `maxChars` (the first one
 * whole even when longer), quotation marks paired, no sentence-final punctuation.
 */
export function shortProposal(sentence: string, person: Person, maxChars: number): string {
  const subjects = subjectsOf(person);
  const clauses = topLevelClauses(sentence.trim().replace(/[。！？；;!?…]+[”’」』]*$/u, ''));
  // Leading clauses that only connect, set the occasion or topic, or say who speaks.
  while (clauses.length > 1) {
    const text = withoutLeadingWords(clauses[0]!.text);
    if (text && !isOccasionOrTopic(text) && !isSayingClause(text, subjects)) break;
    clauses.shift();
  }
  const [first, ...rest] = clauses;
  if (!first) return '';
  let shown = withoutSubject(withoutSayingLead(withoutLeadingWords(first.text), subjects), person);
  let last = shown;
  let separator = first.separator;
  for (const clause of rest) {
    const needsNext = (MEANS.test(last) && last.length <= MEANS_MAX_CHARS) || CONSEQUENCE.test(clause.text);
    if (!needsNext && shown.length + 1 + clause.text.length > maxChars) break;
    shown += `${separator}${clause.text}`;
    last = clause.text;
    separator = clause.separator;
  }
  return balanceQuotes(shown.trim());
}
