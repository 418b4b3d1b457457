import type { ForumIndex } from '../index/forum-index.js';
import { corpusVocabulary } from './vocabulary.js';
import type { QuestionAnalysis } from '../retrieval/query.js';
import type { Answer, Citation, RetrievedChunk } from '../types.js';
import { coverage, needsSpeaker, sentenceContext, sentencesOf, termWeight, trimSentence, type Sentence } from './evidence.js';
import { questionLanguage, refusalText } from './language.js';

/** Tunable thresholds, kept together so the eval can be read against them. */
export const EXTRACTIVE_SETTINGS = {
  /** How many retrieved passages sentences are drawn from. */
  passages: 5,
  /** A question word this rare (general-language IDF) that no article contains means "not covered". */
  specificTermIdf: 7,
  /** Share of the question's topic (weighted) the best passage must hold, with its context. */
  minimumCoverage: 0.5,
  /** Longest sentence shown whole; longer ones are cut to their relevant clauses. */
  maxSentenceChars: 110,
  /** Answers stop growing past this (a list question may take more sentences up to it). */
  maxAnswerChars: 220,
};

export interface ExtractiveInput {
  index: ForumIndex;
  analysis: QuestionAnalysis;
  passages: RetrievedChunk[];
}

/**
 * Answers with the article's own sentences: the ones from the retrieved passages that hold the
 * most of the question's topic, each followed by its [n]. Refuses when the topic is not there.
 */
export function composeExtractive({ index, analysis, passages }: ExtractiveInput): Answer {
  const language = questionLanguage(analysis.question);
  const refuse = (): Answer => ({ text: refusalText(language), refused: true, mode: 'extractive', citations: [] });
  const terms = analysis.contentTerms;
  if (analysis.documentIds && analysis.documentIds.size === 0) return refuse();
  if (terms.length === 0 || passages.length === 0) return refuse();

  // A specific word no article contains ("会场", "报料邮箱"): the articles do not cover it.
  const vocabulary = corpusVocabulary(index);
  const missing = terms.filter((term) => !vocabulary.includes(term));
  if (missing.some((term) => termWeight(term) >= EXTRACTIVE_SETTINGS.specificTermIdf) || missing.length === terms.length) return refuse();

  // A question about a member is answered from that member's passages only.
  let candidates = passages;
  if (analysis.people.length) {
    const names = analysis.people.map((person) => person.name);
    candidates = passages.filter((chunk) => {
      const sentences = sentencesOf(index, chunk, 0);
      return names.some((name) => chunk.text.includes(name) || sentences.some((sentence) => sentence.speaker === name));
    });
    if (candidates.length === 0) return refuse();
  }
  candidates = candidates.slice(0, EXTRACTIVE_SETTINGS.passages);

  const scored = candidates
    .flatMap((chunk, rank) => sentencesOf(index, chunk, rank))
    .filter((sentence) => !analysis.people.length || analysis.people.some((p) => sentence.speaker === p.name || sentence.text.includes(p.name)))
    .map((sentence) => ({ sentence, score: sentenceScore(sentence, terms) }))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best || coverage(terms, sentenceContext(best.sentence) + ' ' + best.sentence.chunk.text) < EXTRACTIVE_SETTINGS.minimumCoverage) return refuse();

  const chosen: Sentence[] = [best.sentence];
  if (analysis.acrossDocuments) {
    // One sentence from each article that answers its part.
    for (const { sentence, score } of scored) {
      if (chosen.some((c) => c.document.id === sentence.document.id)) continue;
      if (score >= best.score * 0.5) chosen.push(sentence);
    }
  } else {
    // A second sentence only when it adds topic words the first lacks.
    const covered = coverage(terms, sentenceContext(best.sentence));
    for (const { sentence } of scored.slice(1, 4)) {
      const together = coverage(terms, `${sentenceContext(best.sentence)} ${sentence.text}`);
      if (together > covered + 0.15 && sentence.chunk.docId === best.sentence.chunk.docId) {
        chosen.push(sentence);
        break;
      }
    }
  }
  return render(chosen, terms);
}

/** Topic terms in the sentence (with its context), a little of the passage, and retrieval rank. */
function sentenceScore(sentence: Sentence, terms: string[]): number {
  const own = coverage(terms, sentence.text + ' ' + (sentence.speaker ?? ''));
  const withContext = coverage(terms, sentenceContext(sentence));
  const passage = coverage(terms, sentence.chunk.text);
  return 0.5 * own + 0.25 * withContext + 0.15 * passage + 0.1 / (1 + sentence.rank);
}

function render(sentences: Sentence[], terms: string[]): Answer {
  // Reading order within an article; articles by date.
  const ordered = [...sentences].sort(
    (a, b) => (a.document.date ?? '').localeCompare(b.document.date ?? '') || a.document.id.localeCompare(b.document.id) || a.start - b.start,
  );
  const citations: Citation[] = [];
  const parts: string[] = [];
  let length = 0;
  for (const sentence of ordered) {
    let n = citations.find((citation) => citation.chunkId === sentence.chunk.id)?.n;
    if (n === undefined) {
      n = citations.length + 1;
      citations.push(citationFor(sentence, n));
    }
    let shown = trimSentence(sentence.text, terms, EXTRACTIVE_SETTINGS.maxSentenceChars);
    if (needsSpeaker(sentence, shown)) shown = `${sentence.speaker}：${shown}`;
    if (parts.length && length + shown.length > EXTRACTIVE_SETTINGS.maxAnswerChars) break;
    parts.push(`${shown}[${n}]`);
    length += shown.length;
  }
  const used = new Set(parts.map((part) => Number(/\[(\d+)\]$/.exec(part)![1])));
  return { text: parts.join(' '), refused: false, mode: 'extractive', citations: citations.filter((c) => used.has(c.n)) };
}

function citationFor(sentence: Sentence, n: number): Citation {
  const { document, chunk } = sentence;
  return {
    n,
    docId: document.id,
    title: document.title,
    date: document.date ?? null,
    url: document.url ?? null,
    chunkId: chunk.id,
    text: chunk.text,
  };
}

