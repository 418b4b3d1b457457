import { splitSentences, type Span } from '../chunking/sentences.js';
import { speakerAt, type Person } from '../corpus/people.js';
import { trimSentence } from './evidence.js';

/** A sentence in which a member proposes something, with its offsets in the article. */
export interface Proposal extends Span {
  text: string;
}

// Reports word a member's proposals with these verbs and modal words ("她建议", "要加快", "应当").
const PROPOSAL = /(建议|提出|呼吁|提案|应当|应该|要|需要|加快|推动|支持|打造|建立|加强|鼓励)/;
// "建议" as a verb ("她建议,", "建议扶持"), not the noun in "规划建议中".
const PROPOSING = /(建议|提出|呼吁|提案)(?![中的书稿里])/;
// An item of an enumeration (一是…, 第二…, 最后…) is a proposal of its own.
const ENUMERATED = /^[“"]?(?:[一二三四五六七八九十]是|第[一二三四五六七八九十][，,、是]|首先|其次|再次|最后|此外)/;

// A sentence that announces proposals which follow ("…提出建议。", "…谈了三点看法：") is not one.
const ANNOUNCES = /(?:建议|看法|意见|观点|思考)[。：:]?$/;

export function announcesProposals(sentence: string): boolean {
  return ANNOUNCES.test(sentence.trim());
}

/**
 * The sentences where the member proposes something (their own "建议", a pronoun's, the items
 * of their enumeration), best first: outright proposals and longer ones before the rest.
 */
export function proposalsOf(document: { text: string; people: Person[] }, person: Person, max: number): Proposal[] {
  return splitSentences(document.text)
    .filter((span) => speakerAt(document.people, document.text, span.start, span.end)?.name === person.name)
    .map((span) => ({ ...span, text: document.text.slice(span.start, span.end) }))
    .filter(({ text }) => !isHeading(text) && !announcesProposals(text) && (PROPOSAL.test(text) || ENUMERATED.test(text)) && text.length >= 12)
    .map((proposal) => ({ proposal, score: proposalScore(proposal.text, person) }))
    .sort((a, b) => b.score - a.score || a.proposal.start - b.proposal.start)
    .slice(0, max)
    .map(({ proposal }) => proposal);
}

/** In article order. */
export function inArticleOrder<T extends Span>(spans: T[]): T[] {
  return [...spans].sort((a, b) => a.start - b.start);
}

const ADDITIONAL = /^[^，,。“”]{0,8}(?:还|也|另外)(?:建议|提出|呼吁|提醒|表示)/;

function surnameOf(person: Person): string {
  return person.name.slice(0, person.name.length >= 4 ? 2 : 1);
}

/** Sentences that propose outright, and say more, come first. */
function proposalScore(text: string, person: Person): number {
  let score = 0;
  if (PROPOSING.test(text)) score += 2;
  if (ENUMERATED.test(text)) score += 1.5;
  if (/^[“"]?(她|他|同时)/.test(text) || text.includes(person.name) || text.startsWith(`${surnameOf(person)}委员`) || text.startsWith(`${surnameOf(person)}常委`)) score += 1;
  // "她还建议" / "X也提出": 还/也 mark a further proposal; the member's main one comes first.
  if (ADDITIONAL.test(text)) score -= 1;
  return score + Math.min(text.length, 120) / 120;
}

/** The proposal itself: what follows "她建议," / "王磊建议" at the sentence start, cut to the limit. */
export function proposalCore(text: string, person: Person, maxChars: number): string {
  const named = new RegExp(`${person.name}(?:还|也|进一步)?(?:建议|提出|指出|表示|认为)[，,:：]?`).exec(text);
  const lead = /^[“"]?(?:[^，,。“”]{0,6}[，,])?(?:她|他)?(?:还|也|进一步|同时)?(?:建议|提出|指出|表示|认为)[，,:：]?/.exec(text);
  const match = named ?? lead;
  const core = match && match[0].length > 1 ? text.slice(match.index + match[0].length) : text;
  return trimSentence(core.replace(/^[“"]/, ''), [], maxChars);
}

/** A section heading (short, unpunctuated): it introduces the next member, it is not a proposal. */
export function isHeading(text: string): boolean {
  return text.length <= 40 && !/[。！？；!?;，,]/.test(text);
}
