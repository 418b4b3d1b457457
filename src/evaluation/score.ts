import type { AskTrace } from '../answering/ask.js';
import { normalizeText } from '../text/tokenize.js';

/** One line of eval/questions.jsonl. */
export interface EvalQuestion {
  id: string;
  lang: 'zh' | 'en' | string;
  question: string;
  facts: string[];
  source: string;
  passage: string;
  kind: string;
  /** Id of the question this one follows up on. */
  after?: string;
}

export interface QuestionScore {
  id: string;
  lang: string;
  kind: string;
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

export function scoreQuestion(question: EvalQuestion, trace: AskTrace): QuestionScore {
  const answerable = isAnswerable(question);
  const passage = squash(question.passage);
  const contains = (text: string) => passage.length > 0 && squash(text).includes(passage);
  const answer = squash(trace.answer);
  const missingFacts = question.facts.filter((fact) => !answer.includes(squash(fact)));
  return {
    id: question.id,
    lang: question.lang,
    kind: question.kind,
    answerable,
    refused: trace.refused,
    hitAt1: answerable && passage ? trace.retrieved.slice(0, 1).some((chunk) => contains(chunk.text)) : null,
    hitAt5: answerable && passage ? trace.retrieved.slice(0, 5).some((chunk) => contains(chunk.text)) : null,
    cited: answerable && passage ? trace.citations.some((citation) => contains(citation.text)) : null,
    allFacts: answerable ? !trace.refused && missingFacts.length === 0 : null,
    missingFacts: answerable ? missingFacts : [],
    answerChars: [...trace.answer.replace(/\[\d+\]/g, '')].length,
    ms: trace.ms,
    answer: trace.answer,
    dropped: trace.dropped?.length ?? 0,
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

/** The targets for Chinese questions in extractive mode (the core issue). */
export function missedTargets(summary: Summary): string[] {
  const missed: string[] = [];
  if (summary.hitAt1 < 0.9) missed.push(`hit@1 ${summary.hitAt1.toFixed(2)} < 0.90`);
  if (summary.allFacts < 0.8) missed.push(`all facts ${summary.allFacts.toFixed(2)} < 0.80`);
  if (summary.correctRefusals < summary.shouldRefuse) missed.push(`refused ${summary.correctRefusals}/${summary.shouldRefuse} unanswerable questions`);
  if (summary.falseRefusals > 0) missed.push(`${summary.falseRefusals} answerable question(s) refused`);
  return missed;
}

/** The targets for English questions with the built-in defaults (cross-lingual issue). */
export function missedEnglishTargets(summary: Summary): string[] {
  if (summary.questions === 0) return [];
  const missed: string[] = [];
  if (summary.hitAt1 < 0.7) missed.push(`English hit@1 ${summary.hitAt1.toFixed(2)} < 0.70`);
  if (summary.correctRefusals < summary.shouldRefuse) missed.push(`English: refused ${summary.correctRefusals}/${summary.shouldRefuse} unanswerable questions`);
  return missed;
}
