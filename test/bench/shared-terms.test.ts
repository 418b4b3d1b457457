import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/chunking/chunk.js';
import { cleanDocument } from '../../src/corpus/clean.js';
import { loadArticles } from '../../src/corpus/load.js';
import { extractPeople } from '../../src/corpus/members.js';
import { loadSeedMaterial, syntheticArticle } from '../../src/bench/corpus.js';
import { contextualText, keywordText } from '../../src/index/context.js';
import type { StoredDocument } from '../../src/index/store.js';
import { SharedTerms } from '../../src/index/terms.js';
import { searchTerms } from '../../src/text/tokenize.js';
import { REPO_SEEDS } from '../support/seed-index.js';

describe('SharedTerms (ingest tokenises each passage once)', () => {
  it('gives exactly searchTerms, in the same order, for every keyword and embedding text of the seeds and synthetic articles', async () => {
    const { documents } = await loadArticles(REPO_SEEDS);
    const material = await loadSeedMaterial(REPO_SEEDS);
    for (let n = 0; n < 20; n++) {
      const article = syntheticArticle(material, 3, n);
      documents.push({ id: `s${n}`, file: article.file, title: article.title, date: article.date, session: article.session, text: article.body });
    }
    const shared = new SharedTerms(undefined, 50);
    let texts = 0;
    for (const loaded of documents) {
      const cleaned = cleanDocument(loaded);
      const document: StoredDocument = { ...cleaned, contentHash: '', people: extractPeople(cleaned.text) };
      for (const chunk of chunkDocument(document)) {
        for (const text of [keywordText(document, chunk), contextualText(document, chunk)]) {
          expect(shared.terms(text)).toEqual(searchTerms(text));
          texts++;
        }
      }
    }
    expect(texts).toBeGreaterThan(200);
  });

  it('holds across odd whitespace, full-width forms, Latin words and numbers', () => {
    const shared = new SharedTerms();
    for (const text of [
      '６Ｇ＋ＡＩ　深度融合\t投资 500亿元,增长6.5%',
      'AI大模型 与 6G 网络 技术\n\n北京市政协委员  黄宇红',
      '  前后有空白  ',
      '',
      'Tesla 的 CEO 说 hello-world v2.0 版本',
    ]) {
      expect(shared.terms(text)).toEqual(searchTerms(text));
      expect(shared.terms(text)).toEqual(searchTerms(text)); // cached pieces too
    }
  });
});
