/**
 * Whether a passage supports what an answer sentence says, beyond its names and numbers: the
 * sentence's content words (the question's own words, names and function words aside) must be
 * covered by the passage with the soft matching the offline answerer uses (shared morphemes earn
 * part: 建议/提议, 企业/公司), so a faithful paraphrase stands and an invented proposal does not.
 */
import type { RelatedWords } from '../../crosslingual/related-words.js';
import { holds, isNamedThing, NUMBER_IN_CONTEXT, softCoverage, termWeight } from '../evidence.js';
import { PROPOSAL_WORD } from '../../text/reporting-verbs.js';
import { normalizeText } from '../../text/tokenize.js';
import { extractNumbers, parseChineseNumeral } from './numbers.js';
import { headerText, type PromptPassage } from './passages.js';

/** Content words of a text (Chinese words, or an English text's Chinese translations as "a|b" groups). */
export type ContentTerms = (text: string) => string[];

export interface SupportChecker {
  /** How much of the sentence's own content the passages together cover (0…1; 1 when it states nothing of its own). */
  support(sentence: string, passages: readonly PromptPassage[]): number;
  /** The threshold below which a sentence is not supported by a passage. */
  readonly threshold: number;
}

/**
 * Calibrated on hand-written replies (eval/verify): faithful paraphrases score well above it,
 * invented proposals and outside knowledge below. See README, "LLM answers".
 */
export const CONTENT_SUPPORT_THRESHOLD = 0.7;

/** How much a proposal's secondary words (its verbs, its untranslated English) weigh against its things. */
export const PROPOSED_WORD_WEIGHT = 0.5;

/**
 * `proposedTermsOf`, when given, adds what a sentence reporting a proposal proposes beyond its
 * things (see reportsProposal), each at PROPOSED_WORD_WEIGHT of its usual weight.
 */
export function supportChecker(
  termsOf: ContentTerms,
  question: string,
  names: readonly string[],
  threshold = CONTENT_SUPPORT_THRESHOLD,
  related?: RelatedWords,
  proposedTermsOf?: ContentTerms,
): SupportChecker {
  const asked = new Set(termsOf(question).flatMap((term) => term.split('|')));
  // Names are checked as names: taken out before the rest is cut (马光辉 is not 马 + 光辉).
  const withoutNames = (sentence: string) => names.reduce((text, name) => text.split(name).join(' '), sentence);
  const own = (terms: string[]) =>
    terms.filter((term) => {
      const alternatives = term.split('|');
      if (alternatives.some((alternative) => asked.has(alternative) || names.includes(alternative))) return false;
      // Numbers are checked as numbers (claims), not as words.
      return !alternatives.every((alternative) => /^[\d.%]+$/.test(alternative) || parseChineseNumeral(alternative) !== undefined);
    });
  const text = (passage: PromptPassage) => `${headerText(passage)}\n${passage.chunk.text}`;
  return {
    threshold,
    support(sentence, passages) {
      const bare = withoutNames(sentence);
      const terms = own(termsOf(bare));
      const proposed = proposedTermsOf && reportsProposal(sentence) ? own(proposedTermsOf(bare)).filter((term) => !terms.includes(term)) : [];
      if (!terms.length && !proposed.length) return 1;
      const stated = passages.map(text).join('\n');
      // A named thing (中国科学院自动化研究所, a model name) is stated word for word or not at all.
      const haystack = normalizeText(stated);
      if (terms.some((term) => isNamedThing(term) && !/\d/.test(term) && !holds(haystack, term))) return 0;
      if (!proposed.length) return softCoverage(terms, stated, [], related);
      const weigh = (list: string[]) => list.reduce((sum, term) => sum + termWeight(term), 0);
      const [thingWeight, proposedWeight] = [weigh(terms), PROPOSED_WORD_WEIGHT * weigh(proposed)];
      const covered = (list: string[]) => (list.length ? softCoverage(list, stated, [], related) : 0);
      return (covered(terms) * thingWeight + covered(proposed) * proposedWeight) / (thingWeight + proposedWeight);
    },
  };
}

// A sentence that reports a proposal: the proposal words (PROPOSAL_WORD: 她建议…, 他还提出…, 主张,
// 提案); proposed, suggested, called for, urged, recommended, advocated.
const PROPOSAL = new RegExp(`${PROPOSAL_WORD}|\\b(?:propos(?:e|es|ed|ing|al|als)|suggest(?:s|ed|ing|ion|ions)?|call(?:s|ed|ing)? for|urg(?:e|es|ed|ing)|recommend(?:s|ed|ing)?|advocat(?:e|es|ed|ing))\\b`, 'iu');

/**
 * What is proposed is an action as much as a thing: an invented proposal can be all verbs around
 * the passage's nouns (在医院内设立…快速审批通道 cited to …推动最新成果进医院). In a sentence that
 * reports a proposal, its verbs (Chinese) or the English words nothing in the articles translates
 * count too — at half weight, since a faithful paraphrase still swaps verbs (促进/带动, 降低/压低).
 */
export function reportsProposal(sentence: string): boolean {
  return PROPOSAL.test(sentence);
}

// Telling the reader to go somewhere or contact someone: links, 请访问/登录, 关注公众号, 拨打/致电,
// "visit", "follow us", "call", e-mail addresses and phone numbers.
const INSTRUCTION =
  /https?:\/\/|www\.|\b[\w-]+\.(?:com|cn|org|net|gov)\b|[\w.+-]+@[\w-]+\.\w+|请(?:访问|登录|点击|扫描|关注|拨打|致电|联系)|(?:访问|登录)[^，。]{0,12}(?:网站|官网|网址|平台|链接)|关注[^，。]{0,8}(?:公众号|微博|账号|微信)|(?:拨打|致电)[^，。]{0,16}\d|扫码|二维码|\b(?:visit|log ?in to|follow (?:us|them|the)|subscribe to|call|dial|contact|e-?mail|scan)\b/i;

/** An instruction or a link no passage contains: never the reports' content, whatever it cites. */
export function isUnsupportedInstruction(sentence: string, passages: readonly PromptPassage[]): boolean {
  const match = INSTRUCTION.exec(sentence);
  if (!match) return false;
  return !passages.some((passage) => passage.chunk.text.includes(match[0]));
}

// A claim that something came of a proposal: adopted, approved, implemented, put in place.
const OUTCOME = /已(?:经)?(?:被)?(?:采纳|采用|批准|获批|落地|实施|出台|通过|建成|启动|开通|投入使用)|被采纳|获得批准|得到(?:批准|采纳|落实)|已正式|\b(?:was|were|has been|have been|had been) (?:adopted|approved|implemented|accepted|enacted|passed|launched|put in place)\b|\b(?:adopted|approved|implemented) by\b/i;
// A report states an outcome in the perfective (已出台, 获批) or as what officials will take up (将被重点吸纳);
// a proposal's own verbs (建议…出台相应政策) are no outcome.
const OUTCOME_STATED = /吸纳|采纳|获批|批准/;

/** A claimed outcome needs a passage that reports one; the proposal's own passage does not. */
export function claimsOutcome(sentence: string): boolean {
  return OUTCOME.test(sentence);
}

export function reportsOutcome(passage: PromptPassage): boolean {
  return OUTCOME.test(passage.chunk.text) || OUTCOME_STATED.test(passage.chunk.text);
}

/**
 * Numbers a sentence may state without a passage writing them: those the question itself says
 * ("三位委员"), and a count of the members it lists ("王磊、黄宇红、冯莉琼三位委员").
 */
export function echoedNumbers(sentence: string, question: string, namesListed: number): Set<number> {
  // A count the question states (两场座谈会, 五条链) needs no passage to write it again; a rank
  // (位列全球第一) or a share (26%) the question states is a claim to check, not a count.
  const echoed = new Set(extractNumbers(question.replace(RANK_OR_SHARE, ' '), 'generous'));
  const count = /([一二两三四五六七八九十\d]+)\s*(?:位|名|个人)/u.exec(sentence);
  if (count && namesListed >= 2) {
    const value = [...extractNumbers(count[0], 'generous')][0];
    if (value === namesListed) echoed.add(value);
  }
  // "在A、B和C这三个方面", "A、B、C等四项": a count of the items the sentence itself enumerates.
  for (const match of sentence.matchAll(COUNTED_LIST)) {
    const items = match[1]!.split(/、|和|及|与|以及/).filter((item) => item.trim()).length;
    const value = [...extractNumbers(match[2]!, 'generous')][0];
    if (items >= 2 && value === items) echoed.add(value);
  }
  return echoed;
}

const RANK_OR_SHARE = /第\s*[0-9零〇一二两三四五六七八九十百千]+|[0-9]+(?:\.[0-9]+)?\s*(?:%|％|percent\b)/giu;

// Items joined by 、/和/及 right before "这N个…" or "N项…": the number counts them.
const COUNTED_LIST = /((?:[^，,。；;：:、]{1,16}、)+[^，,。；;：:、]{1,16}?(?:(?:和|及|与|以及)[^，,。；;：:、]{1,16}?)?)(?:这|等)?([一二两三四五六七八九十\d]+)\s*(?:个|项|大|条|方面|点|类|方|家)/gu;

// A denial before a number in the same clause: 并没有说…第一, 不是第一, 并非, 而非, 未提到 (not 不断, 不少).
const DENIAL = /没有|没(?:说|提)|并未|未曾|未(?:说|提)|并非|不是|并不|而非|不(?:准确|正确|属实|对)|有误/u;

/**
 * A correction of the question's premise denies the question's number ("顾行发并没有说这些指标位列
 * 全球第一", asked "…均位列全球第一。这一说法是否准确?"): the number it denies is the question's
 * claim, not the sentence's, so it is taken out before the sentence is held against the passage's
 * numbers. Only a number the question states in the same words, after a denial in the same clause:
 * a sentence that repeats the question's wrong number as its own claim is still checked.
 */
export function withoutDeniedNumbers(sentence: string, question: string): string {
  return sentence
    .split(/(?<=[，,；;。！？!?])/u)
    .map((clause) => {
      const denial = DENIAL.exec(clause);
      if (!denial) return clause;
      return clause.replace(NUMBER_IN_CONTEXT, (whole: string, context: string, _number: string, at: number) => (at > denial.index && question.includes(whole) ? context : whole));
    })
    .join('');
}
