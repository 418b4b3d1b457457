import type { Asker, AskTrace } from '../answering/ask.js';
import type { Bm25Baseline } from './baseline.js';
import { conversationFor, isSource, type EvalQuestion } from './questions.js';
import type { ComparedScore } from './report.js';
import { holdsSpan, isAnswerable, scoreQuestion } from './score.js';

export interface SetRun {
  scores: ComparedScore[];
  traces: Map<string, AskTrace>;
  /** Answers whose mode differs from the composer's (an LLM answer that fell back). */
  fallbacks: number;
}

/**
 * Asks every question in file order, follow-ups in the conversation of the questions they
 * follow (the whole chain), and scores each answer beside the baseline's top chunk.
 */
export async function runQuestionSet(questions: EvalQuestion[], ask: Asker, baseline: Bm25Baseline, mode: string): Promise<SetRun> {
  const traces = new Map<string, AskTrace>();
  const answered = new Map<string, { question: string; answer: string; after?: string }>();
  const scores: ComparedScore[] = [];
  let fallbacks = 0;
  for (const question of questions) {
    const history = conversationFor(question, answered);
    const trace = await ask(question.question, { history });
    if (trace.mode !== mode) fallbacks++;
    traces.set(question.id, trace);
    answered.set(question.id, { question: question.question, answer: trace.answer, after: question.after });
    scores.push({ ...scoreQuestion(question, trace), baseline: baselineScore(question, baseline) });
  }
  return { scores, traces, fallbacks };
}

/** The baseline answers with its top chunk: hit@1 is that chunk holding the answer span, facts are in it. */
function baselineScore(question: EvalQuestion, baseline: Bm25Baseline): ComparedScore['baseline'] {
  if (!isAnswerable(question)) return { hitAt1: null, allFacts: null };
  const top = baseline.search(question.question, 1)[0];
  const squash = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  return {
    hitAt1: question.passage ? Boolean(top && isSource(top.docId, question.source) && holdsSpan(top.text, question.passage)) : null,
    allFacts: Boolean(top) && question.facts.every((fact) => squash(top!.text).includes(squash(fact))),
  };
}
