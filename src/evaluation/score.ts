import type { AskTrace } from '../answering/ask.js';
import { normalizeText } from '../text/tokenize.js';
import { isSource, styleOf, type EvalQuestion } from './questions.js';

export type { EvalQuestion } from './questions.js';

export interface QuestionScore {
  id: string;
  lang: string;
  kind: string;
  style: string;
  answerable: boolean;
  refused: boolean;
  hitAt1: boolean | null;
  hitAt5: boolean | null;
  cited: boolean | null;
  allFacts: boolean | null;
  missingFacts: string[];
  answerChars: number;
  ms: number;
  answer: string;
  dropped: number;
  /** The answerer's evidence score (for refusal calibration), when it reports one. */
  evidence?: number;
  /** True when the refusal came from a hard rule, not the evidence threshold. */
  hardRefusal?: boolean;
}

export interface Summary {
  questions: number;
  answerable: number;
  hitAt1: number;
  hitAt5: number;
  allFacts: number;
  correctRefusals: number;
  shouldRefuse: number;
  falseRefusals: number;
  meanAnswerChars: number;
  p50Ms: number;
  p95Ms: number;
  dropped: number;
}

const squash = (text: string) => normalizeText(text).replace(/\s+/g, '');

export function isAnswerable(question: EvalQuestion): boolean {
  return !['unanswerable', 'boilerplate', 'page chrome', 'chrome'].includes(question.kind);
}

/**
 * True when a passage of the source article holds the answer span: it contains the span, or
 * (the span crosses a passage boundary) shares at least 60% of it in one run.
 */
export function holdsSpan(text: string, span: string): boolean {
  const haystack = squash(text);
  const needle = squash(span);
  if (!needle) return false;
  if (haystack.includes(needle)) return true;
  return longestCommonRun(haystack, needle) >= Math.ceil(needle.length * 0.6);
}

function longestCommonRun(a: string, b: string): number {
  let best = 0;
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : 0;
      if (current[j]! > best) best = current[j]!;
    }
    [previous, current] = [current, previous];
  }
  return best;
}

/** What one ranked passage is: its article and its text. */
export interface RankedPassage {
  docId: string;
  text: string;
}

export function scoreQuestion(question: EvalQuestion, trace: AskTrace): QuestionScore {
  const answerable = isAnswerable(question);
  const answer = squash(trace.answer);
  const missingFacts = question.facts.filter((fact) => !answer.includes(squash(fact)));
  const ranked = trace.retrieved.map((passage) => ({ docId: passage.chunkId.replace(/#\d+$/, ''), text: passage.text }));
  const cited = trace.citations.map((citation) => ({ docId: citation.docId, text: citation.text }));
  const hit = (passages: RankedPassage[]) => passages.some((passage) => isSource(passage.docId, question.source) && holdsSpan(passage.text, question.passage));
  const withPassage = answerable && question.passage.length > 0;
  return {
    id: question.id,
    lang: question.lang,
    kind: question.kind,
    style: styleOf(question),
    answerable,
    refused: trace.refused,
    hitAt1: withPassage ? hit(ranked.slice(0, 1)) : null,
    hitAt5: withPassage ? hit(ranked.slice(0, 5)) : null,
    cited: withPassage ? hit(cited) : null,
    allFacts: answerable ? !trace.refused && missingFacts.length === 0 : null,
    missingFacts: answerable ? missingFacts : [],
    answerChars: [...trace.answer.replace(/\[\d+\]/g, '')].length,
    ms: trace.ms,
    answer: trace.answer,
    dropped: trace.dropped?.length ?? 0,
    ...(trace.evidence !== undefined ? { evidence: trace.evidence.score, hardRefusal: trace.evidence.hard } : {}),
  };
}

export function summarize(scores: QuestionScore[]): Summary {
  const answerable = scores.filter((score) => score.answerable);
  const withPassage = answerable.filter((score) => score.hitAt1 !== null);
  const shouldRefuse = scores.filter((score) => !score.answerable);
  const answered = scores.filter((score) => !score.refused);
  const share = (count: number, total: number) => (total ? count / total : 0);
  const latencies = scores.map((score) => score.ms).sort((a, b) => a - b);
  return {
    questions: scores.length,
    answerable: answerable.length,
    hitAt1: share(withPassage.filter((score) => score.hitAt1).length, withPassage.length),
    hitAt5: share(withPassage.filter((score) => score.hitAt5).length, withPassage.length),
    allFacts: share(answerable.filter((score) => score.allFacts).length, answerable.length),
    correctRefusals: shouldRefuse.filter((score) => score.refused).length,
    shouldRefuse: shouldRefuse.length,
    falseRefusals: answerable.filter((score) => score.refused).length,
    meanAnswerChars: answered.length ? Math.round(answered.reduce((sum, score) => sum + score.answerChars, 0) / answered.length) : 0,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    dropped: scores.reduce((sum, score) => sum + score.dropped, 0),
  };
}

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
