import type { ForumIndex } from '../index/forum-index.js';
import { corpusVocabulary, removeSeparators } from './vocabulary.js';
import type { QuestionAnalysis } from '../retrieval/query.js';
import type { Answer, Citation, RetrievedChunk } from '../types.js';
import { answersKind, coverage, evidenceTerms, isNamedThing, needsSpeaker, softCoverage, sentenceContext, sentencesOf, termWeight, trimSentence, type Sentence } from './evidence.js';
import { englishName } from '../crosslingual/names.js';
import { citationFor } from './citation.js';
import { asksRole, asksWho, countUnit, statesCount } from './intent.js';
import { scoreSentences } from './rerank.js';
import { questionLanguage, refusalText } from './language.js';

/** Tunable thresholds, kept together so the eval can be read against them. */
export const EXTRACTIVE_SETTINGS = {
  /** How many retrieved passages sentences are drawn from. */
  passages: 5,
  /** Evidence is multiplied by this when a word the question asks about is in no article. */
  unknownFocusFactor: 0.6,
  /** Evidence (soft coverage of the question by the best sentence's window) below which a question is refused; chosen on eval/dev.jsonl. */
  minimumEvidence: 0.4,
  /** Longest sentence shown whole; longer ones are cut to their relevant clauses. */
  maxSentenceChars: 110,
  /** Answers stop growing past this (a list question may take more sentences up to it). */
  maxAnswerChars: 220,
  /** A list answer (an enumeration 一是…最后) may take this much. */
  maxListChars: 600,
  /** An enumeration's item is shown whole up to this, so its 二是/三是 stays in view. */
  maxListItemChars: 160,
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

  // The archive does not cover a question about a named thing it never mentions (a person, an
  // organisation, a model, a year). Other missing words only lower the evidence below.
  const vocabulary = corpusVocabulary(index);
  // The vocabulary drops punctuation and symbols, so "25%" is asked of it as "25".
  const inArchive = (term: string) => vocabulary.holds(term.split('|').map(removeSeparators).join('|'));
  const unknownNamed = terms.filter((term) => isNamedThing(term) && !inArchive(term));
  if (unknownNamed.length) return refuse();

  // A question about a member is answered from that member's sentences only.
  let scored = scoreSentences(index, analysis, passages);
  // "How many members…": only a sentence stating a number of that measure word answers it.
  const unit = countUnit(analysis.question);
  if (unit) scored = scored.filter(({ sentence }) => statesCount(sentence.text, unit));
  // "Who…": only a sentence with a known speaker answers it.
  if (asksWho(analysis.question)) scored = scored.filter(({ sentence }) => sentence.speaker);
  const best = scored[0];
  if (!best) return refuse();
  // Evidence: how much of the question's weighted content the best sentence's window supports.
  // An asked-about word no article uses at all ("会场") makes it likely that the passage found is
  // about the same event but not about what is asked: the evidence counts for less.
  const unknownFocus = analysis.focusTerms.some((term) => terms.includes(term) && !inArchive(term));
  const evidence = softCoverage(evidenceTerms(analysis.question, terms), `${sentenceContext(best.sentence)} ${best.sentence.chunk.text}`, analysis.focusTerms)
    * (unknownFocus ? EXTRACTIVE_SETTINGS.unknownFocusFactor : 1);
  if (!answersKind(analysis.question, best.sentence.text)) return refuse();
  if (evidence < EXTRACTIVE_SETTINGS.minimumEvidence) return refuse();

  const chosen: Sentence[] = [best.sentence];
  const enumeration = asksList(analysis.question) ? enumerationFrom(index, best.sentence) : [];
  if (enumeration.length > 1) {
    // "提出了哪几条建议": the whole enumeration, 一是 … 最后, each item cited.
    chosen.splice(0, 1, ...enumeration);
    return render(chosen, terms, language, { list: true });
  }
  if (analysis.acrossDocuments) {
    // One sentence from each article that answers its part.
    for (const { sentence, score } of scored) {
      if (chosen.some((c) => c.document.id === sentence.document.id)) continue;
      if (score >= best.score * 0.5) chosen.push(sentence);
    }
  } else {
    // A second sentence only when it adds topic words the first lacks.
    const covered = coverage(terms, sentenceContext(best.sentence));
    for (const { sentence, score } of scored.slice(1, 4)) {
      const together = coverage(terms, `${sentenceContext(best.sentence)} ${sentence.text}`);
      // …and continues the same passage (or the next), so the two read as one answer.
      const nearby = sentence.chunk.docId === best.sentence.chunk.docId && Math.abs(sentence.chunk.ordinal - best.sentence.chunk.ordinal) <= 1;
      if (together > covered + 0.15 && nearby && score >= best.score * 0.5) {
        chosen.push(sentence);
        break;
      }
    }
  }
  // English answers name the member (pinyin, Chinese name, post) in their framing instead.
  if (language === 'zh' && (asksWho(analysis.question) || asksRole(analysis.question))) chosen.push(...introductionsFor(index, chosen, passages));
  return render(chosen, terms, language, { introductionsFirst: asksWho(analysis.question) });
}

// Reports enumerate proposals as 一是…二是…三是…, 第一…第二…, 首先…其次…最后, often one clause
// per "；" and sometimes over several sentences or paragraphs of the same speaker.
const ENUMERATION_START = /(?:^|[：:，,；;])\s*(?:一是|第一[，,、是]|首先[，,])/u;
const ENUMERATION_NEXT = /^\s*(?:[“"]?)(?:[二三四五六七八九十]是|第[二三四五六七八九十][，,、是]|其次|再次|最后|此外|另外|同时)/u;
const ASKS_LIST = /哪几|哪些|几点|几条|几项|几个方面|[二三四五六七八九十两]点|[二三四五六七八九十两]条|[二三四五六七八九十两]个方面|都有啥|都提了|列一下|\bwhat (?:are|were) (?:the|his|her|their)\b|\bwhich (?:proposals|suggestions|measures)\b|\blist\b/i;

export function asksList(question: string): boolean {
  return ASKS_LIST.test(question);
}

/**
 * The enumeration the sentence starts or belongs to, in order: its first item (the sentence
 * with 一是, this one or the one before it) and every item that continues it in the same or the
 * next passage, while the speaker stays the same.
 */
function enumerationFrom(index: ForumIndex, sentence: Sentence): Sentence[] {
  const passages = index.chunks.filter((chunk) => chunk.docId === sentence.chunk.docId && chunk.ordinal >= sentence.chunk.ordinal - 1 && chunk.ordinal <= sentence.chunk.ordinal + 2);
  const sentences = passages.flatMap((chunk) => sentencesOf(index, { ...chunk, score: 0 }, sentence.rank)).filter((s, i, all) => all.findIndex((other) => other.start === s.start) === i);
  sentences.sort((a, b) => a.start - b.start);
  let at = sentences.findIndex((s) => s.start <= sentence.start && sentence.start < s.end);
  if (at < 0) return [];
  // Walk back to the item that opens the enumeration, or forward to one the same speaker opens
  // shortly after ("她专门带来了…提案。她建议…：一是…").
  while (at > 0 && !ENUMERATION_START.test(sentences[at]!.text) && ENUMERATION_NEXT.test(sentences[at]!.text)) at--;
  const speaker = sentences[at]!.speaker;
  for (let ahead = 0; ahead < 3 && !ENUMERATION_START.test(sentences[at]!.text); ahead++) {
    const next = sentences[at + 1];
    if (!next || (next.speaker && next.speaker !== speaker)) return [];
    at++;
  }
  if (!ENUMERATION_START.test(sentences[at]!.text)) return [];
  const items = [sentences[at]!];
  for (let next = at + 1; next < sentences.length && items.length < 8; next++) {
    const candidate = sentences[next]!;
    if (!ENUMERATION_NEXT.test(candidate.text) || (candidate.speaker && candidate.speaker !== items[0]!.speaker)) break;
    items.push(candidate);
  }
  // Items stay whole (each is a proposal); the first keeps the speaker's name.
  return items.map((item) => ({ ...item, focus: undefined }));
}

/**
 * "Who" and "what post" answers name the member with their organisation and post: the sentence
 * that introduces each speaker is added (cut to the clause with the name) when not already there.
 */
function introductionsFor(index: ForumIndex, chosen: Sentence[], passages: RetrievedChunk[]): Sentence[] {
  const added: Sentence[] = [];
  for (const sentence of chosen) {
    const person = sentence.document.people.find((p) => p.name === sentence.speaker);
    if (!person) continue;
    // Where the article states the organisation: the introduction, or a later sentence
    // ("作为…创始合伙人，他…", "据了解，X现任…").
    const stated = person.affiliation ? sentence.document.text.indexOf(person.affiliation, Math.max(0, person.start - 40)) : -1;
    const at = stated >= 0 ? stated : person.start;
    if ([...chosen, ...added].some((c) => c.document.id === sentence.document.id && at >= c.start && at < c.end)) continue;
    const chunk = index.chunks.find((c) => c.docId === sentence.document.id && c.start <= at && at < c.end);
    if (!chunk) continue;
    const retrieved = passages.find((p) => p.id === chunk.id) ?? { ...chunk, score: 0 };
    const introduction = sentencesOf(index, retrieved, passages.length).find((s) => s.start <= at && at < s.end);
    if (introduction) added.push({ ...introduction, focus: [person.name, person.affiliation, person.role] });
  }
  return added.slice(0, 2);
}

interface RenderOptions {
  /** "Who" answers: the member's introduction before what they said. */
  introductionsFirst?: boolean;
  /** An enumeration: one item per line, up to maxListChars. */
  list?: boolean;
}

function render(sentences: Sentence[], terms: string[], language: 'zh' | 'en', { introductionsFirst = false, list = false }: RenderOptions = {}): Answer {
  const maxChars = list ? EXTRACTIVE_SETTINGS.maxListChars : EXTRACTIVE_SETTINGS.maxAnswerChars;
  // What fits is decided in order of relevance, so a long second sentence never pushes out the best.
  const kept: { sentence: Sentence; shown: string }[] = [];
  let length = 0;
  for (const sentence of sentences) {
    const limit = sentence.focus ? 60 : list ? EXTRACTIVE_SETTINGS.maxListItemChars : EXTRACTIVE_SETTINGS.maxSentenceChars;
    let shown = trimSentence(sentence.text, sentence.focus ?? terms, limit);
    if (language === 'zh' && needsSpeaker(sentence, shown)) shown = `${sentence.speaker}：${shown}`;
    if (kept.length && length + shown.length > maxChars) continue;
    kept.push({ sentence, shown });
    length += shown.length;
  }
  // Shown in reading order within an article, articles by date; introductions last, or first
  // when the question asks who (the answer is the person, then what they said).
  kept.sort(
    ({ sentence: a }, { sentence: b }) =>
      (introductionsFirst ? -1 : 1) * (Number(Boolean(a.focus)) - Number(Boolean(b.focus))) ||
      (a.document.date ?? '').localeCompare(b.document.date ?? '') ||
      a.document.id.localeCompare(b.document.id) ||
      a.start - b.start,
  );
  const citations: Citation[] = [];
  const parts = kept.map(({ sentence, shown }, i) => {
    if (language === 'en') shown = englishFraming(sentence, shown, kept[i - 1]?.sentence);
    let n = citations.find((citation) => citation.chunkId === sentence.chunk.id)?.n;
    if (n === undefined) {
      n = citations.length + 1;
      citations.push(citationFor(sentence.document, sentence.chunk, n));
    }
    return `${shown}[${n}]`;
  });
  // A list reads as a list on a phone: one item per line.
  return { text: parts.join(list ? '\n' : ' '), refused: false, mode: 'extractive', citations };
}

/**
 * Short English framing around the Chinese passage, keeping the Chinese name so readers can
 * search for it: "Huang Yuhong (黄宇红, 中国移动通信研究院院长) proposed: “…”".
 */
function englishFraming(sentence: Sentence, shown: string, previous?: Sentence): string {
  const quoted = `“${shown.replace(/^[“"]|[”"]$/g, '')}”`;
  const person = sentence.document.people.find((p) => p.name === sentence.speaker);
  if (!person) return `The report says: ${quoted}`;
  const verb = /建议|提出|提案|呼吁/.test(shown) ? 'proposed' : 'said';
  if (previous?.speaker === person.name) return `And ${verb}: ${quoted}`;
  return `${englishName(person.name)} (${person.name}, ${person.affiliation}${person.role}) ${verb}: ${quoted}`;
}


