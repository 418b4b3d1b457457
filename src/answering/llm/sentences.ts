/**
 * A model answer as lines of sentences, each with the citation markers that belong to it, so
 * verification can keep or drop sentences and put the rest back together unchanged.
 */

export interface AnswerSentence {
  /** Whitespace before the sentence on its line. */
  lead: string;
  /** The sentence with its markers, e.g. "王磊建议…平台。[1]". */
  text: string;
}

export interface AnswerLine {
  /** A list bullet or number ("1. ", "- ", "（2）"), kept but never read as a claim. */
  prefix: string;
  sentences: AnswerSentence[];
}

const LIST_PREFIX = /^\s*(?:[-*•·]\s+|\d{1,2}[.、)）](?!\d)\s*|[（(]\d{1,2}[)）]\s*|[一二三四五六七八九十][、.]\s*|#{1,6}\s+)/u;
// A Chinese or English sentence end with its closing quotes/brackets, then the markers that follow it.
// "." ends a sentence only before a blank, a marker or the end of the line (not in 1.5 or 6.0).
const SENTENCE = /[^]*?(?:(?:[。！？!?；;]+|……|\.(?=\s|\[|$))[”’」』）)"'》]*(?:\s*\[\d{1,3}\])*|$)/gu;

export function splitAnswer(text: string): AnswerLine[] {
  return text.split('\n').map((line) => {
    const prefix = LIST_PREFIX.exec(line)?.[0] ?? '';
    const body = line.slice(prefix.length);
    const sentences: AnswerSentence[] = [];
    for (const match of body.matchAll(SENTENCE)) {
      if (!match[0]) continue;
      const lead = /^\s*/.exec(match[0])![0];
      const sentence = match[0].slice(lead.length).trimEnd();
      if (sentence) sentences.push({ lead, text: sentence });
    }
    return { prefix, sentences };
  });
}

/** Lines back into text: a line whose sentences were all removed disappears; blank runs collapse. */
export function joinAnswer(lines: AnswerLine[], hadSentences: boolean[]): string {
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (line.sentences.length === 0) {
      if (!hadSentences[i] && out.length && out[out.length - 1] !== '') out.push('');
      return;
    }
    const body = line.sentences.map((sentence, j) => (j === 0 ? sentence.text : sentence.lead + sentence.text)).join('');
    out.push(line.prefix + body);
  });
  return out.join('\n').trim();
}
