import type { ArticleIndex } from '../index/article-index.js';
import { sentencesOf, type Sentence } from './evidence.js';

// Reports enumerate proposals as 一是…二是…三是…, 第一…第二…, 首先…其次…最后, often one clause
// per "；" and sometimes over several sentences or paragraphs of the same speaker.
export const ENUMERATION_START = /(?:^|[：:，,；;])\s*(?:一是|第一[，,、是]|首先[，,])/u;
const ENUMERATION_NEXT = /^\s*(?:[“"]?)(?:[二三四五六七八九十]是|第[二三四五六七八九十][，,、是]|其次|再次|最后|此外|另外|同时)/u;
/**
 * The enumeration the sentence starts or belongs to, in order: its first item (the sentence
 * with 一是, this one or the one before it) and every item that continues it in the same or the
 * next passage, while the speaker stays the same.
 */
export function enumerationFrom(index: ArticleIndex, sentence: Sentence): Sentence[] {
  const passages = index.corpus.chunksOf(sentence.chunk.docId).filter((chunk) => chunk.ordinal >= sentence.chunk.ordinal - 1 && chunk.ordinal <= sentence.chunk.ordinal + 2);
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

