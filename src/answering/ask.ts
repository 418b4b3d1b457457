import { normaliseChat } from '../text/chat.js';
import { loadDictionary } from '../text/dictionary.js';
import { QuestionError } from '../errors.js';
import type { ArticleIndex } from '../index/article-index.js';
import type { ForumIndex } from '../index/forum-index.js';
import { analyzeQuestion, type QuestionAnalysis } from '../retrieval/query.js';
import { retrieve } from '../retrieval/retrieve.js';
import type { Answer, Chunk, Citation, HistoryTurn, RetrievedChunk } from '../types.js';
import { extractiveComposer, type Composer } from './composer.js';
import { rerank, scoreSentences } from './rerank.js';
import { repairHomophones } from './homophones.js';
import { refusalGuide, type RefusalGuide } from './refusal-guide.js';

/** The JSON shape `ask --json`, `--batch` and the eval read. Keep it stable. */
export interface AskResult {
  id?: string;
  question: string;
  answer: string;
  refused: boolean;
  mode: Answer['mode'];
  citations: Citation[];
  ms: number;
  dropped?: string[];
  notices?: string[];
}

/** What the eval also needs: the passages retrieval ranked, best first. */
export interface AskTrace extends AskResult {
  retrieved: { chunkId: string; text: string }[];
  /** The composer's evidence score and whether a refusal came from a rule, for the eval's calibration. */
  evidence?: { score: number; hard: boolean };
  /** With a refusal: the forums the articles do cover that came closest, so a reader can ask again. */
  guide?: RefusalGuide;
}

export interface AskOptions {
  /** The index to answer from; a function so a hot-reloaded index is picked up. */
  index: ForumIndex | (() => ForumIndex);
  composer?: Composer;
  maxQuestionChars?: number;
  /** How many passages retrieval hands the composer. */
  passages?: number;
}

export interface AskCall {
  history?: HistoryTurn[];
  signal?: AbortSignal;
  /** Called with the answer text so far while a streaming composer writes (never a half-written [n]). */
  onText?: (textSoFar: string) => void;
}

export type Asker = (question: string, call?: AskCall) => Promise<AskTrace>;

/** question (+ history) → standalone query → hybrid retrieval → composed, cited answer. */
export function createAsker(options: AskOptions): Asker {
  const composer = options.composer ?? extractiveComposer;
  const maxChars = options.maxQuestionChars ?? 500;
  return async (question, { history = [], signal, onText } = {}) => {
    const started = performance.now();
    const index = typeof options.index === 'function' ? options.index() : options.index;
    const text = repairHomophones(index, normaliseChat(validateQuestion(question, maxChars)));
    let analysis = analyzeQuestion(index, text, history.slice(-4));
    const standalone = await composer.rewrite?.({ index, question: text, history, signal });
    if (standalone) analysis = withStandaloneQuery(analysis, analyzeQuestion(index, standalone));
    const retrieved = await retrieve(index, analysis.searchText, { k: options.passages ?? 8, documentIds: analysis.documentIds?.size ? analysis.documentIds : undefined });
    // A follow-up also reads the passages the previous answer quoted, and the one after each.
    const candidates = [...retrieved, ...followUpPassages(index, analysis, retrieved)];
    // Passages whose sentences hold the question's topic come first, for every composer.
    const passages = rerank(scoreSentences(index, analysis, candidates), candidates);
    const answer = await composer.compose({ index, analysis, passages, history, signal, onText });
    return {
      question: text,
      answer: answer.text,
      refused: answer.refused,
      mode: answer.mode,
      citations: answer.citations,
      ms: Math.round(performance.now() - started),
      ...(answer.dropped ? { dropped: answer.dropped } : {}),
      ...(answer.notices?.length ? { notices: answer.notices } : {}),
      ...(answer.evidence ? { evidence: answer.evidence } : {}),
      ...(answer.refused ? { guide: refusalGuide(index, passages) } : {}),
      // The passages the answer cites come first, in citation order: they are what it rests on.
      retrieved: citedFirst(passages, answer.citations, index).map((passage) => ({ chunkId: passage.id, text: passage.text })),
    };
  };
}

function followUpPassages(index: ArticleIndex, analysis: QuestionAnalysis, retrieved: RetrievedChunk[]): RetrievedChunk[] {
  const previous = analysis.previousPassages;
  if (!previous?.size) return [];
  const have = new Set(retrieved.map((passage) => passage.id));
  const quoted = [...previous].map((id) => index.corpus.chunkWithId(id)).filter((chunk): chunk is Chunk => Boolean(chunk));
  return [...new Map([...quoted, ...quoted.map((chunk) => index.corpus.nextChunk(chunk))].filter((chunk): chunk is Chunk => Boolean(chunk) && !have.has(chunk!.id)).map((chunk) => [chunk.id, chunk])).values()]
    .map((chunk) => ({ ...chunk, score: 0 }));
}

function citedFirst(passages: { id: string; text: string }[], citations: { chunkId: string }[], index: ArticleIndex): { id: string; text: string }[] {
  // A summary cites passages of the whole article, not only those retrieval ranked.
  const cited = citations
    .map((citation) => passages.find((passage) => passage.id === citation.chunkId) ?? index.corpus.chunkWithId(citation.chunkId))
    .filter((passage): passage is { id: string; text: string } => Boolean(passage));
  return [...new Map([...cited, ...passages].map((passage) => [passage.id, passage])).values()];
}

/** Retrieval follows the composer's standalone query; the question stays what the user asked. */
function withStandaloneQuery(asked: QuestionAnalysis, standalone: QuestionAnalysis): QuestionAnalysis {
  return {
    ...asked,
    searchText: standalone.question,
    documentIds: standalone.documentIds?.size ? standalone.documentIds : asked.documentIds,
    people: asked.people.length ? asked.people : standalone.people,
  };
}

export function validateQuestion(question: unknown, maxChars: number): string {
  const text = typeof question === 'string' ? question.replace(/\s+/g, ' ').trim() : '';
  if (!text) throw new QuestionError('The question is empty: ask something about the forum articles, e.g. "黄宇红建议了什么?"');
  if ([...text].length > maxChars) {
    throw new QuestionError(`The question is ${[...text].length} characters long; the limit is ${maxChars}. Ask it more briefly.`);
  }
  return text;
}

/**
 * Pays the one-time costs of answering (jieba's dictionary, general IDF) before the first question
 * does. What depends on the index (word tables, term presence) comes with the loaded index.
 */
export function warmUp(index: ArticleIndex): void {
  analyzeQuestion(index, '座谈会');
  repairHomophones(index, '座谈会');
  // jieba's word list, which tells a name from an ordinary word (isNamedThing): read once, here.
  loadDictionary();
}
