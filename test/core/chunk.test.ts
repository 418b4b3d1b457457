import { describe, expect, it } from 'vitest';
import { chunkDocument, DEFAULT_CHUNK_OPTIONS } from '../../src/chunking/chunk.js';
import { splitSentences } from '../../src/chunking/sentences.js';
import { cleanDocument } from '../../src/corpus/clean.js';
import { loadArticles } from '../../src/corpus/load.js';
import type { ForumDocument } from '../../src/types.js';
import { REPO_SEEDS } from '../support/seed-index.js';

function checkInvariants(document: ForumDocument, maxChars = DEFAULT_CHUNK_OPTIONS.maxChars) {
  const chunks = chunkDocument(document);
  const covered = new Array<boolean>(document.text.length).fill(false);
  chunks.forEach((chunk, ordinal) => {
    expect(chunk.ordinal).toBe(ordinal);
    expect(chunk.id).toBe(`${document.id}#${ordinal}`);
    expect(chunk.text).toBe(document.text.slice(chunk.start, chunk.end));
    expect(chunk.text.length).toBeLessThanOrEqual(maxChars);
    expect(chunk.text.length).toBeGreaterThan(0);
    for (let i = chunk.start; i < chunk.end; i++) covered[i] = true;
  });
  const uncovered = [...document.text].filter((char, i) => !covered[i] && char.trim()).join('');
  expect(uncovered).toBe('');
  return chunks;
}

describe('Chinese sentence splitting', () => {
  it('ends sentences at 。！？; and keeps closing quotes with them', () => {
    const text = '他说:“要融合。”她建议加快发展!为什么?一是规划;二是人才';
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual(['他说:“要融合。”', '她建议加快发展!', '为什么?', '一是规划;', '二是人才']);
  });

  it('does not split decimals', () => {
    const text = '增长了3.5个百分点。下一句。';
    expect(splitSentences(text)).toHaveLength(2);
  });
});

describe('chunking', () => {
  it('covers the cleaned seeds exactly, with offsets that map back', async () => {
    const { documents } = await loadArticles(REPO_SEEDS);
    for (const document of documents) {
      const chunks = checkInvariants(cleanDocument(document));
      expect(chunks.length).toBeGreaterThan(10);
    }
  });

  it('keeps a section heading with the paragraph after it', async () => {
    const { documents } = await loadArticles(REPO_SEEDS);
    const chunks = chunkDocument(cleanDocument(documents[0]!));
    const heading = chunks.find((chunk) => chunk.text.includes('推动6G和AI技术融合'))!;
    expect(heading.text.startsWith('推动6G和AI技术融合\n“北京6G与AI')).toBe(true);
  });

  it('cuts a long paragraph at sentence ends with one sentence of overlap', () => {
    const sentences = Array.from({ length: 12 }, (_, i) => `第${i}句话讲的是委员们关于推动首都经济高质量发展的一条建议内容。`);
    const document: ForumDocument = { id: 'long', file: 'long.txt', title: 't', text: sentences.join('') };
    const chunks = checkInvariants(document);
    expect(chunks.length).toBeGreaterThan(1);
    for (let i = 1; i < chunks.length; i++) {
      const previousLast = splitSentences(chunks[i - 1]!.text).at(-1)!;
      expect(chunks[i]!.text.startsWith(chunks[i - 1]!.text.slice(previousLast.start, previousLast.end))).toBe(true);
    }
  });

  it('cuts a sentence longer than a chunk at clauses', () => {
    const document: ForumDocument = { id: 'x', file: 'x.txt', title: 't', text: Array.from({ length: 60 }, () => '推动科技创新与产业创新深度融合').join(',') + '。' };
    checkInvariants(document);
  });
});
