import type { ForumIndex } from '../index/forum-index.js';
import type { QuestionAnalysis } from '../retrieval/query.js';
import type { Answer, HistoryTurn, RetrievedChunk } from '../types.js';
import { composeExtractive } from './extractive.js';

export interface CompositionInput {
  index: ForumIndex;
  analysis: QuestionAnalysis;
  passages: RetrievedChunk[];
  history: HistoryTurn[];
  signal?: AbortSignal;
  /** Streaming composers report the visible text so far; the returned Answer is the verified final text. */
  onText?: (textSoFar: string) => void;
}

/** Turns retrieved passages into a cited answer. The extractive one needs nothing else; an LLM one plugs in here. */
export interface Composer {
  readonly mode: Answer['mode'];
  compose(input: CompositionInput): Promise<Answer>;
}

export const extractiveComposer: Composer = {
  mode: 'extractive',
  async compose(input) {
    return composeExtractive(input);
  },
};
