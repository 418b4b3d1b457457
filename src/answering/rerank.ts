import { PROPOSAL_WORD } from '../text/reporting-verbs.js';
import type { ArticleIndex } from '../index/article-index.js';
import type { QuestionAnalysis } from '../retrieval/query.js';
import type { RetrievedChunk } from '../types.js';
import { coverage, sentenceContext, sentencesOf, type Sentence } from './evidence.js';
import { asksRole } from './intent.js';

export interface ScoredSentence {
  sentence: Sentence;
  score: number;
}

/** How many fused results are read closely. */
const DEPTH = 8;

/**
 * Reads the retrieved passages sentence by sentence and scores each sentence against the
 * question: its own share of the question's topic, the same with the article's context (date,
 * session, speaker), its passage's share, and the fused retrieval rank. Questions about a named
 * member only count that member's sentences.
 */
export function scoreSentences(index: ArticleIndex, analysis: QuestionAnalysis, passages: RetrievedChunk[]): ScoredSentence[] {
  const terms = analysis.contentTerms;
  const names = analysis.people.map((person) => person.name);
  const role = names.length > 0 && asksRole(analysis.question);
  // Framing verbs the question uses ("提出了哪些建议") favour sentences that use them too.
  const framing = framingWords(analysis.question);
  const focus = analysis.focusTerms.filter((term) => terms.includes(term));
  return passages
    .slice(0, DEPTH)
    .flatMap((chunk, rank) => sentencesOf(index, chunk, rank))
    .filter((sentence) => names.length === 0 || names.some((name) => sentence.speaker === name || sentence.text.includes(name)))
    .map((sentence) => {
      // Who speaks belongs to the sentence: "what did the head of the institute say" is asked of
      // every sentence its head speaks, not only of the one that introduces her.
      const own = coverage(terms, `${sentence.text} ${speakerDescription(sentence)}`);
      const withContext = coverage(terms, sentenceContext(sentence));
      const passage = coverage(terms, sentence.chunk.text);
      let score = 0.5 * own + 0.25 * withContext + 0.15 * passage + 0.1 / (1 + sentence.rank);
      if (framing.length) score += (0.15 * framing.filter((family) => family.test(sentence.text)).length) / framing.length;
      // The words the question asks about ("想打通的是哪三种人之间的链条" → 打通, 链条) belong in the answering sentence itself.
      if (focus.length) score += FOCUS_BONUS * coverage(focus, sentence.text);
      // A follow-up is answered near what was just quoted: in the same passage or the next one.
      if (analysis.previousPassages?.size && nearPrevious(index, analysis.previousPassages, sentence.chunk)) score += FOLLOW_UP_BONUS;
      // "What is X's post?" is answered by the sentence that introduces X.
      if (role && introduces(sentence, names)) score += 0.5;
      return { sentence, score };
    })
    .sort((a, b) => b.score - a.score || a.sentence.rank - b.sentence.rank || a.sentence.start - b.sentence.start);
}

function speakerDescription(sentence: Sentence): string {
  if (!sentence.speaker) return '';
  const person = sentence.document.people.find((candidate) => candidate.name === sentence.speaker);
  return person ? `${person.name} ${person.affiliation}${person.role}` : sentence.speaker;
}

/** How much holding the asked-about words counts (a fifth of a full topic match). */
const FOCUS_BONUS = 0.1;

/** How much being next to the previous answer's passage counts (a quarter of a full topic match). */
const FOLLOW_UP_BONUS = 0.12;

function nearPrevious(index: ArticleIndex, previous: Set<string>, chunk: { docId: string; ordinal: number; id: string }): boolean {
  if (previous.has(chunk.id)) return true;
  return index.corpus.chunksOf(chunk.docId).some((other) => other.ordinal === chunk.ordinal - 1 && previous.has(other.id));
}

/** True when the sentence holds the article's introduction of one of the members. */
export function introduces(sentence: Sentence, names: string[]): boolean {
  return sentence.document.people.some(
    (person) => names.includes(person.name) && person.start >= sentence.start && person.start < sentence.end,
  );
}

/** Passages reordered by their best sentence; passages with no scored sentence keep their fused order after. */
export function rerank(scored: ScoredSentence[], passages: RetrievedChunk[]): RetrievedChunk[] {
  const best = new Map<string, number>();
  for (const { sentence, score } of scored) {
    if (!best.has(sentence.chunk.id)) best.set(sentence.chunk.id, score);
  }
  return passages
    .map((passage, position) => ({ passage, position, score: best.get(passage.id) ?? -1 }))
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .map(({ passage }) => passage);
}

// Verbs a question frames its ask with, by family: a sentence using any verb of the family the
// question uses ("提出了哪些建议" ~ "她建议…", "propose" ~ "建议") is what such a question is after.
const FAMILIES = [
  { question: new RegExp(`${PROPOSAL_WORD}|\\b(propos|suggest|recommend|urg|call(ed)? for|advocat)`, 'i'), sentence: new RegExp(PROPOSAL_WORD) },
  { question: /认为|看法|观点|表示|指出|谈到|\b(think|view|opinion|believ|say|said)\b/i, sentence: /认为|表示|指出|谈到|强调|说/ },
];

function framingWords(question: string): RegExp[] {
  return FAMILIES.filter((family) => family.question.test(question)).map((family) => family.sentence);
}
