/**
 * How Chinese news reports of a forum build their sentences, for showing one sentence on its own.
 * A reporter's sentence leans on its neighbours in a few regular ways, and each one reads as
 * a fragment when the sentence is lifted out:
 *
 * - the speaker comes after the quotation, as a sentence of its own: “……。”来自科技界的…黄宇红表示。
 * - an anaphoric connective points back at what came before: 有鉴于此、对此、为此、因此、此外、同时…
 * - the occasion or the topic is set in a leading clause: 今年两会期间、会上、在…方面、针对…问题、围绕…
 * - the member is named with a verb of saying before what they propose: 她建议，… / 王磊表示，…
 * - an enumeration item opens with its ordinal: 一是…、第二，…、首先、最后…
 */
import { PROPOSING_VERB, REPORTING_VERB } from '../text/reporting-verbs.js';

/** A sentence that only names who spoke the quotation before it: "来自…的北京市政协委员、…院长黄宇红表示。" */
const ATTRIBUTION_TAIL = new RegExp(`^[^“”「」。！？!?，,]{0,80}?(?:${REPORTING_VERB}|${PROPOSING_VERB})[。！!]?$`, 'u');

export function isAttributionTail(sentence: string): boolean {
  return ATTRIBUTION_TAIL.test(sentence.trim());
}

/** Connectives that point back at the sentences before (their referent is not shown). */
export const ANAPHORIC_CONNECTIVE =
  /^(?:有鉴于此|鉴于此|基于此|对此|为此|因此|由此|因而|所以|于是|可见|总之|综上|此外|另外|另一方面|与此同时|同时|而且|并且|不过|然而|但是|其中|具体而言|具体来说|具体来看|在此基础上)/u;

/** The sentence without a leading connective clause ("有鉴于此，…", "“同时，…"): it reads whole on its own. */
export function withoutLeadingConnective(sentence: string): string {
  const match = new RegExp(`^([“"「]?)${ANAPHORIC_CONNECTIVE.source.slice(1)}[，,、]\\s*`, 'u').exec(sentence);
  if (!match || sentence.length - match[0].length < 8) return sentence;
  return `${match[1]}${sentence.slice(match[0].length)}`;
}

/** A clause that only sets the occasion: 今年两会期间、会上、近年来、目前. */
const OCCASION = /^(?:今年|去年|明年|近年来|近年|近些年|当前|目前|如今|眼下|会上|座谈会上|会议上|发言中|采访中|.{0,12}(?:期间|之际|以来|时))$/u;

// A clause that only sets the topic: 在吸引全球顶尖AI人才方面、针对…等问题、围绕…、为了…
const FRAME_START = /^(?:在|针对|围绕|就|对于|关于|面对|面向|随着|为了|聚焦|立足|着眼于?)/u;
const FRAME_END = /(?:方面|领域|问题|现象|情况|难题|短板|需求|背景下|过程中|而言|来看)$/u;
// Frames that are short phrases of their own, without a frame noun: 围绕首都发展、随着技术进步.
const SHORT_FRAME = /^(?:围绕|针对|聚焦|面对|随着|立足|着眼于?)/u;

export function isOccasionOrTopic(clause: string): boolean {
  const text = clause.replace(/[，,、：:\s]+$/u, '');
  if (OCCASION.test(text)) return true;
  if (!FRAME_START.test(text)) return false;
  return FRAME_END.test(text) || (/^在.{1,30}[上中]$/u.test(text)) || (SHORT_FRAME.test(text) && text.length <= 16);
}

/** The ordinal an enumeration item opens with: 一是、第二，、首先、其次、最后. */
export const ORDINAL = /^(?:[一二三四五六七八九十]是|第[一二三四五六七八九十][，,、是]?|首先|其次|再次|然后|最后)[，,、：:]?/u;

/** A leading clause of saying with its subject: "她建议，" "王磊表示，" "市政协委员、…马光辉建议，" "冯莉琼表示". */
export function isSayingClause(clause: string, subjects: readonly string[]): boolean {
  const text = clause.replace(/[，,、：:\s]+$/u, '');
  const subject = subjects.map(escapeRegExp).join('|');
  return new RegExp(`^(?:[^，,。“”]{0,60}?(?:${subject}))?(?:还|也|进一步|同时|专门|特别|则)?(?:${REPORTING_VERB}|${PROPOSING_VERB})$`, 'u').test(text);
}

/** The clause without a leading "她建议" / "王磊建议" / "建议" (no comma after it): "王磊建议北京统筹建设…" → "北京统筹建设…". */
export function withoutSayingLead(clause: string, subjects: readonly string[]): string {
  const subject = subjects.map(escapeRegExp).join('|');
  const match = new RegExp(`^(?:(?:${subject})(?:还|也|进一步|同时|专门|特别|则)?)?(?:建议|提出|呼吁|认为|表示)[，,：:]?`, 'u').exec(clause);
  return match && clause.length - match[0].length >= 6 ? clause.slice(match[0].length) : clause;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
