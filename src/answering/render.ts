import { englishName } from '../corpus/name-spellings.js';
import type { Answer, Citation } from '../types.js';
import { citationFor } from './citation.js';
import { needsSpeaker, trimSentence, type Sentence } from './evidence.js';
import { balanceQuotes } from './quotes.js';
import { isAttributionTail, withoutLeadingConnective } from './report-prose.js';
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
    let shown = shownSentence(sentence, sentence.focus ?? terms, limit);
    // Whose words a quotation is must be on the line, as it is for "他建议".
    const unattributed = needsSpeaker(sentence, shown) || (Boolean(sentence.speaker) && !shown.includes(sentence.speaker!) && spokenWords(shown) !== undefined);
    // No label where a short opening clause names the speaker ("在卜衡看来，…", "卜衡认为，"): "卜衡：在卜衡看来"
    // says it twice. A long introduction ("区政协委员、…主任蒋若谷表示") keeps it: the label leads the line.
    const opening = shown.split(/[，,：:；;。]/)[0] ?? '';
    const namedFirst = sentence.speaker !== undefined && opening.includes(sentence.speaker) && opening.length <= sentence.speaker.length + 6;
    if (language === 'zh' && sentence.speaker && !namedFirst && (speakerLabels || unattributed)) shown = `${sentence.speaker}：${shown}`;
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
 * The sentence as it can be read on its own: a speaker's tail ("…黄宇红表示。") with the
 * quotation it attributes, no connective pointing back at unseen text, cut to the limit at
 * clause ends, ending as a sentence, every quotation mark paired.
 */
function shownSentence(sentence: Sentence, terms: string[], limit: number): string {
  const quoted = quotationBefore(sentence);
  let shown: string;
  if (quoted) {
    const room = Math.max(30, limit - sentence.text.length - 2);
    shown = `“${trimSentence(quoted, terms, room)}”${sentence.text}`;
  } else {
    shown = trimSentence(withoutLeadingConnective(sentence.text), terms, limit);
  }
  // A clause cut out of a longer sentence ends as a sentence ("…；" → "…。").
  return balanceQuotes(shown.replace(/[；;，,：:、]$/u, '。'));
}

/**
 * For a sentence that only names the speaker of the quotation right before it (“……。”…黄宇红表示。),
 * the quotation's text (without its marks), from where it opens or where the passage starts.
 */
function quotationBefore(sentence: Sentence): string | undefined {
  if (!isAttributionTail(sentence.text)) return undefined;
  const text = sentence.document.text;
  const close = sentence.start - 1;
  if (text[close] !== '”') return undefined;
  let depth = 0;
  for (let i = close; i >= sentence.chunk.start; i--) {
    if (text[i] === '”') depth++;
    else if (text[i] === '“' && --depth === 0) return text.slice(i + 1, close);
  }
  // The quotation began before this passage: what the passage holds of it.
  const start = sentence.chunk.start;
  return start < close ? text.slice(start, close).replace(/^[“\s]+/u, '') : undefined;
}

/**
 * Short English framing around the Chinese extract, keeping the Chinese name so readers can
 * search for it. A member's own words (a quotation) are speech: "Huang Yuhong (黄宇红,
 * 中国移动通信研究院院长) said: “…”". Anything else is the reporter's narration, and is
 * framed as the report's: "The report says Zhao Yu (赵宇, …) proposed: “…”".
 */
function englishFraming(sentence: Sentence, shown: string, previous?: Sentence): string {
  const person = sentence.document.people.find((p) => p.name === sentence.speaker);
  const again = person !== undefined && previous?.speaker === person.name;
  const words = person ? spokenWords(shown) : undefined;
  if (person && words !== undefined) {
    return again ? `${englishName(person.name)} added: “${words}”` : `${introduced(person)} said: “${words}”`;
  }
  if (!person) return `The report says: “${shown}”`;
  if (again) return `The report adds: “${shown}”`;
  return /建议|提出|提案|呼吁/.test(shown) ? `The report says ${introduced(person)} proposed: “${shown}”` : `The report says of ${introduced(person)}: “${shown}”`;
}

function introduced(person: { name: string; affiliation: string; role: string }): string {
  return `${englishName(person.name)} (${person.name}, ${person.affiliation}${person.role})`;
}

/**
 * The words of a quotation the extract consists of — “…” alone, or followed by the sentence
 * naming its speaker (“…”黄宇红表示。) — without its marks; undefined for narration.
 */
function spokenWords(shown: string): string | undefined {
  const open = shown.startsWith('…“') ? 1 : 0;
  if (shown[open] !== '“') return undefined;
  let depth = 0;
  for (let i = open; i < shown.length; i++) {
    if (shown[i] === '“') depth++;
    else if (shown[i] === '”' && --depth === 0) {
      const after = shown.slice(i + 1);
      if (after && !/^[。！？，,…\s]*$/u.test(after) && !isAttributionTail(after)) return undefined;
      return `${open ? '…' : ''}${shown.slice(open + 1, i)}`;
    }
  }
  return undefined;
}
