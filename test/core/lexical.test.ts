import { describe, expect, it } from 'vitest';
import { LexicalEmbedder, lexicalEmbedderFromId } from '../../src/embedding/lexical.js';
import { searchTerms } from '../../src/text/tokenize.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe('lexical embedder', () => {
  const embedder = new LexicalEmbedder(512);

  it('is deterministic and unit length', async () => {
    const [a, b] = await embedder.embedDocuments(['固态电池产业化', '固态电池产业化']);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(Math.sqrt(dot(a!, a!))).toBeCloseTo(1, 5);
    expect(new LexicalEmbedder(512).id).toBe('lexical:v1:512');
    expect(lexicalEmbedderFromId('lexical:v1:256')?.dimensions).toBe(256);
  });

  it('puts texts that share rare words closer than unrelated ones', async () => {
    const question = await embedder.embedQuery('固态电池在哪些领域应用?');
    const [related, unrelated] = await embedder.embedDocuments([
      '促进固态电池技术在汽车、储能和低空经济动力等领域广泛应用。',
      '建立健全的数据安全管理制度和法律法规。',
    ]);
    expect(dot(question, related!)).toBeGreaterThan(dot(question, unrelated!) + 0.1);
  });

  it('tokenises Chinese with a dictionary, not into single characters or on spaces', () => {
    const terms = searchTerms('黄宇红建议把中试平台升级为国家级中试平台');
    expect(terms).toContain('中试');
    expect(terms).toContain('平台');
    expect(terms).toContain('国家级');
    expect(terms).toContain('~宇红');
    expect(searchTerms('４２次 6G+AI')).toEqual(expect.arrayContaining(['42', '6g', 'ai']));
  });
});
