/**
 * Checks a model answer against the passages it was given before anyone sees it:
 * - markers that name no passage are removed;
 * - a sentence's names, numbers, dates and quoted Chinese must be stated by the passages it cites,
 *   else it is re-cited to one passage that states them all, else dropped;
 * - a sentence without a citation is dropped unless it is a lead-in ("具体如下：") or says what the
 *   passages do not cover; a line cited once at its end lends that citation to its earlier sentences;
 * - markers are renumbered 1..k in order of first use.
 */
import type { RelatedWords } from '../../crosslingual/related-words.js';
import { claimsOf, evidenceOf, hasClaims, unsupportedClaims, type Evidence, type KnownPerson } from './claims.js';
import { dropMarkers, markersIn, normalizeMarkers, renumber, stripMarkers } from './markers.js';
import type { PromptPassage } from './passages.js';
import { REFUSAL_MARKER } from './prompt.js';
import { joinAnswer, splitAnswer, type AnswerSentence } from './sentences.js';
import { contradictsNumber } from '../evidence.js';
import { claimsOutcome, echoedNumbers, isUnsupportedInstruction, reportsOutcome, supportChecker, withoutDeniedNumbers, type ContentTerms } from './support.js';

const REFUSAL = new RegExp(REFUSAL_MARKER.replace('_', '[_ ]'), 'i');
const REFUSAL_ANYWHERE = new RegExp(`\\s*${REFUSAL.source}\\s*`, 'gi');
/** "The passages do not mention …": an honest statement about the sources, not a claim needing one. */
const ABSENCE = /((?:没有|未|并未|均未)(?:提到|提及|说明|涉及|披露|透露|报道)|无法(?:从|根据|据此)?.{0,12}(?:回答|得知|确定)|不包含|没有相关|do(?:es)? not (?:mention|say|cover|contain|state|specify|include)|don't (?:mention|say|cover|contain|state|specify)|(?:is|are) not (?:mentioned|covered|stated|specified)|no information|cannot (?:be )?(?:answer|determine)|can't (?:answer|determine))/i;

export interface Verification {
  /** The verified text with markers renumbered 1..k; empty when nothing verifiable is left. */
  text: string;
  /** cited[i] is the passage of marker [i+1]. */
  cited: PromptPassage[];
  /** The sentences removed, without their markers. */
  dropped: string[];
  /** Sentences moved to another passage that states their facts. */
  recited: number;
  /** Nothing cited survived and the model said the passages do not answer (the marker, or statements of absence). */
  refused: boolean;
}

export interface VerifyOptions {
  /** The question asked: its own words and numbers need no passage to repeat them. */
  question?: string;
  /** Content words of a text, for checking that the cited passage supports what a sentence says. */
  termsOf?: ContentTerms;
  /** Stricter content words for a sentence borrowing a neighbour's citation (see strictContentTermsOf). */
  borrowedTermsOf?: ContentTerms;
  /** What a sentence reporting a proposal proposes beyond its things: its verbs, its untranslated English (see proposedTermsOf). */
  proposedTermsOf?: ContentTerms;
  /** Words the dictionary relates (公司/企业): a paraphrase may use one for the passage's word. */
  related?: RelatedWords;
}

export function verifyAnswer(raw: string, passages: readonly PromptPassage[], people: readonly KnownPerson[], options: VerifyOptions = {}): Verification {
  const markedRefusal = REFUSAL.test(raw);
  const evidence = new Map<number, Evidence>(passages.map((passage) => [passage.n, evidenceOf(passage, people)]));
  const valid = (n: number) => evidence.has(n);
  const names = people.map((person) => person.name);
  const checker = options.termsOf ? supportChecker(options.termsOf, options.question ?? '', names, undefined, options.related, options.proposedTermsOf) : undefined;
  /** The passages support the sentence's content (always, without a checker). */
  const supports = (body: string, ...ns: number[]) => !checker || checker.support(body, ns.map((n) => evidence.get(n)!.passage)) >= checker.threshold;
  // A passage the model did not cite must also be about the sentence's topic: there the question's
  // words count too ("是的，风险投资金额位列全球第一" is not at home in a passage about 第一城).
  const homeChecker = options.termsOf ? supportChecker(options.termsOf, '', names, undefined, options.related, options.proposedTermsOf) : undefined;
  const supportsHere = (body: string, n: number) => supports(body, n) && (!homeChecker || homeChecker.support(body, [evidence.get(n)!.passage]) >= homeChecker.threshold);
  const borrowChecker = options.borrowedTermsOf ? supportChecker(options.borrowedTermsOf, options.question ?? '', names, undefined, options.related, options.proposedTermsOf) : checker;
  const supportsBorrowed = (body: string, ...ns: number[]) => !borrowChecker || borrowChecker.support(body, ns.map((n) => evidence.get(n)!.passage)) >= borrowChecker.threshold;
  /** Facts and content both stated by the passage. */
  // A number the passage states otherwise in the same words (全球第二 written, 全球第三 claimed) is a wrong
  // number; one the sentence denies as the question's premise (并没有说…全球第一) is not its claim.
  const contradicts = (body: string, e: Evidence) => contradictsNumber(withoutDeniedNumbers(body, options.question ?? ''), e.passage.chunk.text);
  const states = (body: string, claims: ReturnType<typeof claimsOf>, e: Evidence) =>
    unsupportedClaims(claims, [e]).length === 0 && !contradicts(body, e) && supportsHere(body, e.passage.n) && (!claimsOutcome(body) || reportsOutcome(e.passage));

  const lines = splitAnswer(normalizeMarkers(raw.replace(REFUSAL_ANYWHERE, ' ')).replace(/\r/g, ''));
  const hadSentences = lines.map((line) => line.sentences.length > 0);
  const dropped: string[] = [];
  let recited = 0;
  let citedSentences = 0;
  let statedAbsence = false;

  for (const line of lines) {
    const kept: AnswerSentence[] = [];
    line.sentences.forEach((sentence, i) => {
      const body = stripMarkers(sentence.text)
        .replace(/\s+([.,;:!?])/g, '$1')
        .trim();
      // "请访问…", a URL, a phone number: not the reports' content, whatever it cites.
      if (isUnsupportedInstruction(body, passages)) {
        dropped.push(body);
        return;
      }
      const claims = claimsOf(sentence.text, people);
      // "三位委员" echoed from the question, or counting the members the sentence lists.
      const echoed = echoedNumbers(body, options.question ?? '', claims.names.length);
      claims.numbers = claims.numbers.filter((number) => !echoed.has(number));
      let cites = [...new Set(markersIn(sentence.text).filter(valid))];
      let text = dropMarkers(sentence.text, valid);
      if (cites.length === 0) {
        // A statement of what the sources lack may stand uncited, but only with facts they do state.
        const absence = ABSENCE.test(body) && unsupportedClaims(claims, [...evidence.values()]).length === 0;
        if (absence || (!hasClaims(claims) && isLeadIn(body))) {
          statedAbsence ||= absence;
          kept.push({ ...sentence, text });
          return;
        }
        // Paragraph-end citation style: borrow the next cited sentence's markers on the same line.
        const next = line.sentences.slice(i + 1).find((later) => markersIn(later.text).some(valid));
        if (!next) {
          dropped.push(body);
          return;
        }
        // …but only when the passage supports this sentence's own content.
        cites = [...new Set(markersIn(next.text).filter(valid))];
        if (!supportsBorrowed(body, ...cites)) {
          dropped.push(body);
          return;
        }
        text = placeMarkers(text, cites);
      }
      const factsMissing =
        (hasClaims(claims) && unsupportedClaims(claims, cites.map((n) => evidence.get(n)!)).length > 0) || cites.some((n) => contradicts(body, evidence.get(n)!));
      const contentMissing = !supports(body, ...cites);
      const outcomeMissing = claimsOutcome(body) && !cites.some((n) => reportsOutcome(evidence.get(n)!.passage));
      if (factsMissing || contentMissing || outcomeMissing) {
        // Re-cited to the passage that states it all, or dropped.
        const home = [...evidence.values()].find((e) => states(body, claims, e));
        if (!home) {
          dropped.push(body);
          return;
        }
        text = placeMarkers(stripMarkers(text), [home.passage.n]);
        recited++;
      }
      citedSentences++;
      kept.push({ ...sentence, text });
    });
    line.sentences = kept;
  }

  if (citedSentences === 0) return { text: '', cited: [], dropped, recited, refused: markedRefusal || statedAbsence };
  const { text, order } = renumber(joinAnswer(lines, hadSentences));
  return { text, cited: order.map((n) => evidence.get(n)!.passage), dropped, recited, refused: false };
}

/** A lead-in or a short heading that states nothing by itself: "具体如下：", "According to the reports:", "**建议**". */
function isLeadIn(body: string): boolean {
  if (/[:：]$/.test(body)) return true;
  if (/[。！？!?；;.…]$/.test(body)) return false;
  const han = body.match(/\p{Script=Han}/gu)?.length ?? 0;
  return han > 0 ? [...body].length <= 8 : body.length <= 24;
}

/** Markers go before the sentence's final punctuation: "…平台[2]。". */
function placeMarkers(text: string, numbers: number[]): string {
  const markers = numbers.map((n) => `[${n}]`).join('');
  const end = /([。！？!?；;.…]+[”’」』）)"'》]*)$/.exec(text.trimEnd());
  const trimmed = text.trimEnd();
  return end ? `${trimmed.slice(0, end.index)}${markers}${end[1]}` : `${trimmed}${markers}`;
}
