/**
 * The plain RAG baseline the eval compares against: the raw article files cut by a recursive
 * character splitter (LangChain's RecursiveCharacterTextSplitter: 300 characters, 30 of
 * overlap, separators blank line / line / 。 / character), BM25 (k1 1.2, b 0.75, as MiniSearch)
 * over jieba search-mode words without stopwords, and the top chunk as the answer. No cleaning,
 * no reranking, no refusals: what a team gets from the usual tutorial in an afternoon.
 */
import { STOPWORDS } from '../text/stopwords.js';
import { normalizeText, segmenter } from '../text/tokenize.js';

export interface BaselineChunk {
  docId: string;
  text: string;
}

const CHUNK_SIZE = 300;
const OVERLAP = 30;
const SEPARATORS = ['\n\n', '\n', '。', ''];

/** RecursiveCharacterTextSplitter's algorithm: split on the first separator that helps, merge up to the size. */
export function splitText(text: string, separators = SEPARATORS): string[] {
  const separator = separators.find((candidate) => candidate === '' || text.includes(candidate)) ?? '';
  const rest = separators.slice(separators.indexOf(separator) + 1);
  const pieces = separator ? text.split(separator).map((piece, i, all) => (separator === '。' && i < all.length - 1 ? piece + separator : piece)) : [...text];
  const chunks: string[] = [];
  let current: string[] = [];
  const join = (parts: string[]) => parts.join(separator === '。' ? '' : separator).trim();
  const flush = () => {
    const joined = join(current);
    if (joined) chunks.push(joined);
    // Keep a tail of up to OVERLAP characters as the start of the next chunk.
    while (current.length && join(current).length > OVERLAP) current.shift();
  };
  for (const piece of pieces) {
    if (!piece.trim()) continue;
    if (piece.length > CHUNK_SIZE && rest.length) {
      if (current.length) flush();
      current = [];
      chunks.push(...splitText(piece, rest));
      continue;
    }
    if (join([...current, piece]).length > CHUNK_SIZE && current.length) flush();
    current.push(piece);
  }
  if (current.length) {
    const joined = join(current);
    if (joined && !chunks.at(-1)?.endsWith(joined)) chunks.push(joined);
  }
  return chunks;
}

function tokens(text: string): string[] {
  return segmenter()
    .cutForSearch(normalizeText(text), true)
    .filter((word) => /[\p{L}\p{N}]/u.test(word) && !STOPWORDS.has(word));
}

export class Bm25Baseline {
  private readonly chunks: BaselineChunk[] = [];
  private readonly frequencies: Map<string, number>[] = [];
  private readonly lengths: number[] = [];
  private readonly documentFrequency = new Map<string, number>();
  private averageLength = 0;

  constructor(articles: { id: string; text: string }[]) {
    for (const article of articles) {
      for (const text of splitText(article.text)) {
        const counts = new Map<string, number>();
        const words = tokens(text);
        for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
        for (const word of counts.keys()) this.documentFrequency.set(word, (this.documentFrequency.get(word) ?? 0) + 1);
        this.chunks.push({ docId: article.id, text });
        this.frequencies.push(counts);
        this.lengths.push(words.length);
      }
    }
    this.averageLength = this.lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, this.lengths.length);
  }

  /** The best chunks for the question, best first. */
  search(question: string, k = 5): BaselineChunk[] {
    const n = this.chunks.length;
    const query = [...new Set(tokens(question))];
    const scored = this.chunks.map((chunk, i) => {
      let score = 0;
      for (const word of query) {
        const tf = this.frequencies[i]!.get(word);
        if (!tf) continue;
        const df = this.documentFrequency.get(word)!;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += (idf * tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * this.lengths[i]!) / this.averageLength));
      }
      return { chunk, score, i };
    });
    return scored
      .filter((entry) => entry.score > 0)
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, k)
      .map((entry) => entry.chunk);
  }
}
