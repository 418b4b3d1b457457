import { englishName } from '../crosslingual/names.js';
import type { Answer, Citation } from '../types.js';
import { citationFor } from './citation.js';
import { needsSpeaker, trimSentence, type Sentence } from './evidence.js';
import { EXTRACTIVE_SETTINGS } from './settings.js';

export interface RenderOptions {
  /** "Who" answers: the member's introduction before what they said. */
  introductionsFirst?: boolean;
  /** An enumeration: one item per line, up to maxListChars. */
  list?: boolean;
  /** Longest item shown whole (default: maxListItemChars for a list, maxSentenceChars otherwise). */
  itemChars?: number;
  /** Every line starts with its speaker ("王磊：…"): summaries and comparisons, where who said it is the point. */
  speakerLabels?: boolean;
  /** Keep the sentences in the order given (one per asked part, in the question's order). */
  inGivenOrder?: boolean;
}

export function render(sentences: Sentence[], terms: string[], language: 'zh' | 'en', { introductionsFirst = false, list = false, itemChars, speakerLabels = false, inGivenOrder = false }: RenderOptions = {}): Answer {
  const maxChars = list ? EXTRACTIVE_SETTINGS.maxListChars : EXTRACTIVE_SETTINGS.maxAnswerChars;
  // What fits is decided in order of relevance, so a long second sentence never pushes out the best.
  const kept: { sentence: Sentence; shown: string }[] = [];
  let length = 0;
  for (const sentence of sentences) {
    const limit = sentence.focus ? 60 : itemChars ?? (list ? EXTRACTIVE_SETTINGS.maxListItemChars : EXTRACTIVE_SETTINGS.maxSentenceChars);
    // A clause cut out of a longer sentence ends as a sentence ("…；" → "…。").
    let shown = trimSentence(sentence.text, sentence.focus ?? terms, limit).replace(/[；;，,：:、]$/u, '。');
    if (language === 'zh' && sentence.speaker && !shown.startsWith(sentence.speaker) && (speakerLabels || needsSpeaker(sentence, shown))) shown = `${sentence.speaker}：${shown}`;
    if (kept.length && length + shown.length > maxChars) continue;
    kept.push({ sentence, shown });
    length += shown.length;
  }
  // Shown in reading order within an article, articles by date; introductions last, or first
  // when the question asks who (the answer is the person, then what they said).
  if (!inGivenOrder) kept.sort(
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


