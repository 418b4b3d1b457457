import type { ArticleIndex } from '../index/article-index.js';
import type { QuestionAnalysis } from '../retrieval/query.js';
import type { Answer, HistoryTurn, RetrievedChunk } from '../types.js';
import { composeExtractive } from './extractive.js';

export interface CompositionInput {
  index: ArticleIndex;
  analysis: QuestionAnalysis;
  passages: RetrievedChunk[];
  history: HistoryTurn[];
  signal?: AbortSignal;
  /** Streaming composers report the visible text so far; the returned Answer is the verified final text. */
  onText?: (textSoFar: string) => void;
}

export interface RewriteInput {
  index: ArticleIndex;
  /** The question as asked (validated). */
  question: string;
  history: HistoryTurn[];
  signal?: AbortSignal;
}

/** Turns retrieved passages into a cited answer. The extractive one needs nothing else; an LLM one plugs in here. */
export interface Composer {
  readonly mode: Answer['mode'];
  compose(input: CompositionInput): Promise<Answer>;
  /**
   * Optional: the question (with the conversation) as a standalone search query, used for retrieval
   * instead of the built-in follow-up handling; undefined to search as usual. Throws only on abort.
   */
  rewrite?(input: RewriteInput): Promise<string | undefined>;
}

export const extractiveComposer: Composer = {
  mode: 'extractive',
  async compose(input) {
    return composeExtractive(input);
  },
};
