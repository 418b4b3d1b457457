import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import type { HistoryTurn } from '../types.js';

/** One line of an eval question file (eval/questions.jsonl, eval/dev.jsonl, eval/archive/archive.jsonl). */
export interface EvalQuestion {
  id: string;
  lang: 'zh' | 'en' | string;
  question: string;
  /** Exact substrings of the source article a correct answer contains. */
  facts: string[];
  /** The article: a document id, or its prefix before "_" ("000" for "000_427e…"), or "both". */
  source: string;
  /** An exact 15–40 character span of the source that holds the answer ("" when none). */
  passage: string;
  kind: string;
  /** formal, colloquial, english, noisy; the public set has none (read as formal, or english). */
  style?: string;
  /** Id of the question this one follows up on, asked in the same conversation. */
  after?: string;
}

export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the question file ${file}.`, { cause: error });
  }
  return text
    .split('\n')
    .map((line, i) => ({ line, number: i + 1 }))
    .filter(({ line }) => line.trim())
    .map(({ line, number }) => {
      let question: EvalQuestion;
      try {
        question = JSON.parse(line) as EvalQuestion;
      } catch {
        throw new ConfigError(`${file} line ${number} is not valid JSON.`);
      }
      if (typeof question.id !== 'string' || typeof question.question !== 'string') {
        throw new ConfigError(`${file} line ${number} needs an "id" and a "question".`);
      }
      return { ...question, facts: question.facts ?? [], passage: question.passage ?? '', source: question.source ?? '' };
    });
}

/** The question's style, with the public set's unlabelled questions read by language. */
export function styleOf(question: EvalQuestion): string {
  return question.style ?? (question.lang === 'en' ? 'english' : 'formal');
}

/** True when a document is the question's source article. */
export function isSource(docId: string, source: string): boolean {
  if (!source || source === 'both') return true;
  return docId === source || docId.startsWith(`${source}_`);
}

/**
 * The conversation a follow-up is asked in: every earlier turn of its chain, oldest first
 * (a follow-up of a follow-up still knows who "she" is from two turns back).
 */
export function conversationFor(question: EvalQuestion, answered: ReadonlyMap<string, { question: string; answer: string; after?: string }>): HistoryTurn[] {
  const turns: HistoryTurn[] = [];
  const seen = new Set<string>();
  let id = question.after;
  while (id && !seen.has(id)) {
    seen.add(id);
    const earlier = answered.get(id);
    if (!earlier) break;
    turns.unshift({ question: earlier.question, answer: earlier.answer });
    id = earlier.after;
  }
  return turns;
}
