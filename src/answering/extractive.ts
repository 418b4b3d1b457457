import type { ArticleIndex } from '../index/article-index.js';
import type { QuestionAnalysis } from '../retrieval/query.js';
import type { Answer, RetrievedChunk } from '../types.js';
import { asksToVerify, holds, answersKind, contradictsNumber, coverage, evidenceTerms, isNamedThing, ownNeighbours, softCoverage, sentenceContext, type Sentence } from './evidence.js';
import { EXTRACTIVE_SETTINGS } from './settings.js';
import { render } from './render.js';
import { introductionsFor } from './introductions.js';
import { correctedPremise } from './premise.js';
import { asksAboutPage, asksReporter, reporterAnswer } from './page-questions.js';
import { speakerOf } from '../index/context.js';
import { translateQuestion } from '../crosslingual/translate.js';
import { relatedWordsIn } from '../crosslingual/related-words.js';
import { normalizeText } from '../text/tokenize.js';
import { enumerationFrom } from './enumeration.js';
import { announcesProposals } from './proposals.js';
import { asksSpeakers, asksSummary, documentOf, forumSummary, memberSummary, topicOf } from './summary-answer.js';
import { ASKS_FOR_PROPOSALS_LIST, ASKS_REASON_OR_WAY, POINTS_BACK, asksComparison, asksOfficial, asksList, asksProposals, asksRole, asksWho, countUnit, questionParts, statesCount } from './intent.js';
import { scoreSentences } from './rerank.js';
import { onlyNamesTopic } from './topic-sentence.js';
import { questionLanguage, refusalText } from './language.js';

export { EXTRACTIVE_SETTINGS } from './settings.js';

export interface ExtractiveInput {
  index: ArticleIndex;
  analysis: QuestionAnalysis;
  passages: RetrievedChunk[];
}

/**
 * Answers with the article's own sentences: the ones from the retrieved passages that hold the
 * most of the question's topic, each followed by its [n]. Refuses when the topic is not there.
 */
export function composeExtractive({ index, analysis, passages }: ExtractiveInput): Answer {
  const language = questionLanguage(analysis.question);
  // A rule's refusal (hard) is told apart from one by the evidence threshold, for the calibration curve.
  const refuse = (score = 0, hard = true): Answer => ({ text: refusalText(language), refused: true, mode: 'extractive', citations: [], evidence: { score, hard } });
  const withEvidence = (answer: Answer, score: number): Answer => ({ ...answer, evidence: { score, hard: false } });
  const terms = analysis.contentTerms;
  if (analysis.documentIds && analysis.documentIds.size === 0) return refuse();
  // "Give me a rundown of the January 2025 forum" asks for a summary with no topic words.
  const summaryAsked = asksSummary(analysis.question) || asksSpeakers(analysis.question);
  if (passages.length === 0 || (terms.length === 0 && !(summaryAsked && analysis.documentIds?.size))) return refuse();

  // The archive does not cover a question about a named thing it never mentions (a person, an
  // organisation, a model, a year). Other missing words only lower the evidence below.
  const related = relatedWordsIn(index);
  const inArchive = (term: string) => index.presence.holds(term);
  const unknownNamed = terms.filter((term) => isNamedThing(term) && !inArchive(term));
  if (unknownNamed.length) return refuse();

  // The byline is metadata a reader may ask about; the rest of the page's furniture is not the forum.
  if (asksReporter(analysis.question)) {
    const byline = reporterAnswer(index, passages, language);
    if (byline) return withEvidence(byline, 1);
  }
  if (asksAboutPage(analysis.question)) return refuse();

  // "京东方的王磊…", "黄宇红在2025年的座谈会上…": a wrong premise gets the reports' facts.
  const correction = correctedPremise(index, analysis);
  if (correction?.length) return withEvidence(render(correction, terms, language), 1);

  const names = analysis.people.map((person) => person.name);
  // The question's topic apart from whom it names ("王磊关于人才的建议" → 人才, 建议).
  const topic = topicOf(terms, names);
  // A summary is of a member or of a forum: every topic word must be the article's own, or the
  // question is about something else said there ("市长在会上讲了些啥") and is answered as a fact.
  if (summaryAsked && analysis.people.length === 1) {
    // "概括一下王磊的建议": the member's proposals, one per line.
    const document = documentOf(index, analysis.people[0]!, passages, analysis.documentIds);
    const proposals = document && coversTopic(document.text, evidenceTerms(analysis.question, topic)) ? memberSummary(index, document, analysis.people[0]!, topic) : [];
    if (proposals.length) return withEvidence(render(proposals, topic, language, { list: true, itemChars: EXTRACTIVE_SETTINGS.maxListItemChars, speakerLabels: true }), 1);
  }
  if (summaryAsked && analysis.people.length === 0) {
    // "那场座谈会都谁发言了,各说了啥": each member of the forum found, with their main proposal.
    const document = index.corpus.documents.get(passages[0]!.docId);
    const lines = document && coversTopic(document.text, evidenceTerms(analysis.question, topic)) ? forumSummary(index, document, topic, EXTRACTIVE_SETTINGS.maxSummaryItemChars) : [];
    if (lines.length) return withEvidence(render(lines, topic, language, { list: true, itemChars: EXTRACTIVE_SETTINGS.maxSummaryItemChars + 2, speakerLabels: true }), 1);
  }

  // A question about a member is answered from that member's sentences only.
  let all = scoreSentences(index, analysis, passages);
  // Retrieval ranked the forum's passages, not the member's ("蔺秋实从哪三个方面提出建议" is mostly
  // about the meeting): the member's own passages are read instead.
  if (all.length === 0 && analysis.people.length) all = scoreSentences(index, analysis, memberPassages(index, analysis));
  // "比例大概多少？想提到多少？": each asked part gets its own sentence; the evidence is the best
  // supported part's (a report may answer one part and not the other).
  const parts = questionParts(analysis.question);
  const picks: ReturnType<typeof pickFor>[] = [];
  for (const part of parts) picks.push(pickFor(part, parts.length > 1, [...picks].reverse().find(Boolean)));
  const answered = picks.filter((pick): pick is NonNullable<typeof pick> => Boolean(pick));
  if (answered.length === 0) return refuse();
  // The whole question's evidence counts too: its parts' words together may be better supported.
  const whole = parts.length > 1 ? pickFor(analysis.question, false) : undefined;
  const evidence = Math.max(...answered.map((pick) => pick.evidence), whole?.answersKind ? whole.evidence : 0);
  const kept = answered.filter((pick) => pick.answersKind);
  if (kept.length === 0) return refuse(evidence);
  if (evidence < EXTRACTIVE_SETTINGS.minimumEvidence) return refuse(evidence, false);
  const { best, scored } = kept[0]!;

  /** The question's terms that this part asks with (an English part is translated on its own). */
  function partTerms(part: string): string[] {
    if (language === 'en') return [...new Set([...names, ...translateQuestion(index, part).termGroups])];
    return terms.filter((term) => holds(normalizeText(part), term) || names.includes(term));
  }

  function pickFor(part: string, several: boolean, previous?: { best: { sentence: Sentence }; evidence: number; answersKind: boolean }) {
    let scored = all;
    if (several && previous && POINTS_BACK.test(part)) {
      // "…是哪位委员建议…？他在哪家机构任职？": the later part is about the member the first found;
      // their post comes with their introduction below.
      if (asksRole(part) && previous.best.sentence.speaker) return undefined;
      const speaker = previous.best.sentence.speaker;
      if (speaker) scored = scored.filter(({ sentence }) => sentence.speaker === speaker);
    }
    // "How many members…": only a sentence stating a number of that measure word answers it.
    const unit = countUnit(part);
    if (unit) scored = scored.filter(({ sentence }) => statesCount(sentence.text, unit));
    // "Who…": only a sentence with a known speaker, or one naming an official by post ("…主任聂书宁主持会议"), answers it.
    if (asksWho(part)) scored = scored.filter(({ sentence }) => (sentence.speaker && !asksOfficial(part)) || namesOfficial(sentence.text));
    // The part's own words decide between the question's sentences; an elliptical part
    // ("想提到多少？") has none and counts on the question's.
    const own = several ? partTerms(part) : terms;
    if (several && own.length) scored = [...scored].sort((x, y) => y.score + coverage(own, y.sentence.text) - (x.score + coverage(own, x.sentence.text)));
    // "同比增长多少？": an elliptical part continues the previous one, in its sentence when that answers it.
    if (several && !own.length && previous) {
      const same = scored.find(({ sentence }) => sentence.start === previous.best.sentence.start && sentence.document.id === previous.best.sentence.document.id);
      if (same) scored = [same, ...scored.filter((entry) => entry !== same)];
    }
    const best = scored[0];
    if (!best) return undefined;
    // Evidence: how much of the question's weighted content the best sentence's window supports.
    // An asked-about word no article uses at all ("会场") makes it likely that the passage found is
    // about the same event but not about what is asked: the evidence counts for less.
    const focus = several ? analysis.focusTerms.filter((term) => part.includes(term)) : analysis.focusTerms;
    // …or one the article the sentence comes from never uses ("由哪位领导主持" of a report naming no moderator).
    // An English name nothing translates ("the CSRC", "WeLion's") may be a company's English brand
    // (卫蓝 is WeLion) or something the articles never mention: it counts as an unknown focus.
    const unknownFocus =
      focus.some((term) => terms.includes(term) && (!inArchive(term) || !holds(normalizeText(best.sentence.document.text), term))) ||
      (analysis.untranslatedNames ?? []).some((name) => !inArchive(name));
    // An elliptical part ("who runs it?") is as well supported as the part it continues, and no better.
    if (several && !own.length) return { best, scored, evidence: previous?.answersKind ? previous.evidence : 0, answersKind: answersKind(part, best.sentence.text) };
    const evidenceTermsOfPart = evidenceTerms(analysis.question, own);
    const evidence = softCoverage(evidenceTermsOfPart, evidenceWindow(best.sentence), focus, related) * (unknownFocus ? EXTRACTIVE_SETTINGS.unknownFocusFactor : 1);
    return { best, scored, evidence, answersKind: answersKind(part, best.sentence.text) && (asksToVerify(analysis.question) || !contradictsNumber(part, best.sentence.text)) };
  }

  const chosen: Sentence[] = [best.sentence];
  if (kept.length > 1) {
    // One sentence per asked part, each once.
    for (const pick of kept.slice(1)) if (!chosen.some((c) => c.start === pick.best.sentence.start && c.document.id === pick.best.sentence.document.id)) chosen.push(pick.best.sentence);
  } else {
    const shaped = listOrComparison();
    if (shaped) return withEvidence(shaped, evidence);
    chosen.push(...supporting());
  }
  // English answers name the member (pinyin, Chinese name, post) in their framing instead.
  if (language === 'zh' && (asksWho(analysis.question) || asksRole(analysis.question))) chosen.push(...introductionsFor(index, chosen, passages));
  // A list question whose answer is one sentence ("主要用在哪几类药上") keeps more of it, so its items stay.
  return withEvidence(
    render(chosen, terms, language, {
      introductionsFirst: asksWho(analysis.question),
      // Several asked parts are answered in the question's order.
      inGivenOrder: kept.length > 1 && !asksWho(analysis.question) && !asksRole(analysis.question),
      ...(asksList(analysis.question) ? { itemChars: EXTRACTIVE_SETTINGS.maxListItemChars } : {}),
    }),
    evidence,
  );

  /** The answer shapes of one asked thing that are not a best sentence: a list, a comparison. */
  function listOrComparison(): Answer | undefined {
    // "在哪些领域…": a sentence that holds the question and lists inline (AI、具身智能、智能网联汽车等)
    // is the answer itself, not the first item of a longer enumeration.
    const inlineAnswer = !ASKS_FOR_PROPOSALS_LIST.test(analysis.question) && INLINE_LIST.test(best.sentence.text) && coverage(terms, sentenceContext(best.sentence)) >= INLINE_ANSWER_COVERAGE;
    const enumeration = asksList(analysis.question) && !inlineAnswer ? enumerationFrom(index, best.sentence) : [];
    if (enumeration.length > 1) {
      // "提出了哪几条建议": the whole enumeration, 一是 … 最后, each item cited.
      return render(enumeration, terms, language, { list: true });
    }
    if (analysis.people.length === 1 && asksList(analysis.question) && asksProposals(analysis.question) && (topic.length === 0 || announcesProposals(best.sentence.text))) {
      // "麦思远提出了哪些建议" with no 一是…二是 to collect, when the best sentence only announces them
      // ("…从外资企业的视角提出建议。"): the member's proposals, one per line.
      const document = documentOf(index, analysis.people[0]!, passages, analysis.documentIds);
      const proposals = document ? memberSummary(index, document, analysis.people[0]!, topic) : [];
      if (proposals.length > 1) return render(proposals, topic, language, { list: true, itemChars: EXTRACTIVE_SETTINGS.maxListItemChars, speakerLabels: true });
    }
    if (analysis.people.length >= 2 && asksComparison(analysis.question)) {
      // "黄宇红与冯莉琼分别关注…": one cited sentence for each member named.
      // A member retrieval did not reach is read from their own passages.
      const each = analysis.people.slice(0, 3).map(
        (person) =>
          scored.find(({ sentence }) => sentence.speaker === person.name)?.sentence ??
          scoreSentences(index, { ...analysis, people: [person] }, memberPassages(index, { ...analysis, people: [person] })).find(({ sentence }) => sentence.speaker === person.name)?.sentence,
      );
      if (each.every(Boolean)) {
        // A sentence that only names the member's topic gives way to what they said about it.
        const told = (each as Sentence[]).map((sentence, i) =>
          onlyNamesTopic(index, sentence, analysis.question, analysis.people[i]!) ? (ownNeighbours(index, sentence).after ?? sentence) : sentence,
        );
        return render(told, topic, language, { speakerLabels: true, list: true, itemChars: EXTRACTIVE_SETTINGS.maxSentenceChars });
      }
    }
    return undefined;
  }

  /** Sentences that complete the best one: one per other article asked about, or one that adds missing topic words nearby. */
  function supporting(): Sentence[] {
    // "为啥那么受鼓舞?", "咋让新成果进医院?": a reason or a way is told around the sentence that
    // matches the question — the quotation after "备受鼓舞", the case before "她建议…" — so the
    // same speaker's neighbouring sentences come with it.
    if (ASKS_REASON_OR_WAY.test(analysis.question)) {
      const { before, after } = ownNeighbours(index, best.sentence);
      const neighbours = [after, before].filter((s): s is Sentence => Boolean(s));
      if (neighbours.length) return neighbours;
    }
    if (analysis.acrossDocuments) {
      const added: Sentence[] = [];
      for (const { sentence, score } of scored) {
        if ([...chosen, ...added].some((c) => c.document.id === sentence.document.id)) continue;
        if (score >= best.score * 0.5) added.push(sentence);
      }
      return added;
    }
    const covered = coverage(terms, sentenceContext(best.sentence));
    for (const { sentence, score } of scored.slice(1, 4)) {
      const together = coverage(terms, `${sentenceContext(best.sentence)} ${sentence.text}`);
      // …and continues the same passage (or the next), so the two read as one answer.
      const nearby = sentence.chunk.docId === best.sentence.chunk.docId && Math.abs(sentence.chunk.ordinal - best.sentence.chunk.ordinal) <= 1;
      if (together > covered + 0.15 && nearby && score >= best.score * 0.5) return [sentence];
    }
    return [];
  }
}

// Officials are named post first, then the name and what they did: "区政协副主席闵嘉树出席会议".
const OFFICIAL_NAMED = /(?:主任|主席|书记|局长|区长|市长|秘书长|部长)\p{Script=Han}{2,3}(?:主持|出席|讲话|致辞|指出|表示|介绍|总结)/u;

function namesOfficial(text: string): boolean {
  return OFFICIAL_NAMED.test(text);
}

/** The passages of the articles where the members the question names speak, in order. */
function memberPassages(index: ArticleIndex, analysis: QuestionAnalysis): RetrievedChunk[] {
  const names = new Set(analysis.people.map((person) => person.name));
  const documents = [...index.corpus.documents.values()].filter(
    (document) => document.people.some((person) => names.has(person.name)) && (!analysis.documentIds?.size || analysis.documentIds.has(document.id)),
  );
  return documents
    .flatMap((document) => index.corpus.chunksOf(document.id).filter((chunk) => [...names].some((name) => chunk.text.includes(name) || speakerOf(document, chunk) === name)))
    .map((chunk) => ({ ...chunk, score: 0 }));
}

/** How far around the best sentence its evidence is read: the clause before or after it in the passage, not the whole passage. */
const EVIDENCE_WINDOW_CHARS = 60;

function evidenceWindow(sentence: Sentence): string {
  const { chunk, document } = sentence;
  const around = document.text.slice(Math.max(chunk.start, sentence.start - EVIDENCE_WINDOW_CHARS), Math.min(chunk.end, sentence.end + EVIDENCE_WINDOW_CHARS));
  return `${sentenceContext(sentence)} ${around}`;
}

// An inline enumeration: three or more items joined by 、 (ending in 等 or not).
const INLINE_LIST = /(?:[^，,。；;、“”]{1,15}、){2,}[^，,。；;、“”]{1,15}/u;
/** Share of the question's topic a sentence with an inline list must hold to be the whole answer. */
const INLINE_ANSWER_COVERAGE = 0.8;

/** Every topic word is in the article word for word (or one of its alternatives). */
function coversTopic(text: string, topic: string[]): boolean {
  const haystack = normalizeText(text);
  return topic.every((term) => holds(haystack, term));
}

