import { createHash } from 'node:crypto';
import { cedictVersion } from './cedict.js';
import { glossaryText } from './glossary.js';
import { articleLexicon, type Lexicon, type TermCounts } from './lexicon.js';
import { dictionaryRelations, type RelatedWordTable } from './related.js';
import { pinyinVersion, soundTable, type SoundTable } from './sounds.js';

/**
 * The word tables of a set of articles, computed at ingest from the dictionaries and stored in the
 * index (lexicon.json), so that answering reads neither CC-CEDICT nor pinyin of the articles.
 */
export interface WordTables {
  /** English phrase → the articles' Chinese terms (translating English questions). */
  readonly lexicon: Lexicon;
  /** Dictionary word → the articles' words CC-CEDICT relates to it (公司 → 企业). */
  readonly related: RelatedWordTable;
  /** Toneless pinyin → the articles' words and members' names (repairing typos made by sound). */
  readonly sounds: SoundTable;
  /** English words CC-CEDICT uses as a whole gloss (telling a dictionary word from a stray one). */
  readonly dictionaryEnglish: ReadonlySet<string>;
}

/** What an article needs for its word tables. */
export interface ArticleWords {
  text: string;
  people: readonly { name: string }[];
}

export function articleWordTables(documents: readonly ArticleWords[], counts: TermCounts): WordTables {
  return completeWordTables(undefined, documents, counts);
}

/** How the tables are made: a change to any of these sources rebuilds them at the next ingest. */
const WORD_TABLES_BUILDER_VERSION = 2;

/** What the word tables were built from; the manifest stores it as `lexiconSources`. */
export interface LexiconSources {
  builder: number;
  /** sha256 of glossary.tsv. */
  glossary: string;
  /** The cc-cedict package's version. */
  cedict: string;
  /** The pinyin-pro package's version (the sound table, from builder 2). */
  pinyin?: string;
}

export function lexiconSources(): LexiconSources {
  return {
    builder: WORD_TABLES_BUILDER_VERSION,
    glossary: createHash('sha256').update(glossaryText()).digest('hex'),
    cedict: cedictVersion(),
    pinyin: pinyinVersion(),
  };
}

const FILE_VERSION = 2;

/**
 * lexicon.json: `{"version":2,"lexicon":[[phrase,[term,…]],…],"related":[[word,[word,…]],…],
 * "sounds":[[pinyin,[word,…]],…],"dictionaryEnglish":[word,…]}`, each table in its own order.
 */
export function encodeWordTables(tables: WordTables): string {
  return JSON.stringify({
    version: FILE_VERSION,
    lexicon: [...tables.lexicon],
    related: [...tables.related],
    sounds: [...tables.sounds],
    dictionaryEnglish: [...tables.dictionaryEnglish],
  });
}

/**
 * Reads lexicon.json; throws, saying what is wrong, on any other shape. Version 1 (an index
 * built before the other tables were) holds the lexicon only: the rest is left for the loader to build.
 */
export function decodeWordTables(text: string): Partial<WordTables> & { lexicon: Lexicon } {
  const data = JSON.parse(text) as Record<string, unknown> | null;
  if (data?.version === 1) return { lexicon: stringLists(data.entries, 'entries') };
  if (data?.version !== FILE_VERSION) throw new Error(`version ${String(data?.version)}, expected ${FILE_VERSION}`);
  const english = data.dictionaryEnglish;
  if (!Array.isArray(english) || !english.every((word) => typeof word === 'string')) throw new Error('dictionaryEnglish is not a list of words');
  return {
    lexicon: stringLists(data.lexicon, 'lexicon'),
    related: stringLists(data.related, 'related'),
    sounds: stringLists(data.sounds, 'sounds'),
    dictionaryEnglish: new Set(english as string[]),
  };
}

/** `[[key, [value, …]], …]` → a Map, or an error naming the table and the first bad entry. */
function stringLists(value: unknown, table: string): Map<string, string[]> {
  if (!Array.isArray(value)) throw new Error(`no ${table}`);
  const map = new Map<string, string[]>();
  for (const entry of value as unknown[]) {
    const [key, values] = Array.isArray(entry) ? entry : [];
    if (typeof key !== 'string' || !Array.isArray(values) || !values.every((item) => typeof item === 'string')) {
      throw new Error(`an entry of ${table} is not [key, [strings]]: ${JSON.stringify(entry)?.slice(0, 80)}`);
    }
    map.set(key, values as string[]);
  }
  return map;
}

/** The tables an older index lacks, built from its articles as ingest builds them. */
export function completeWordTables(found: Partial<WordTables> | undefined, documents: readonly ArticleWords[], counts: TermCounts): WordTables {
  const lexicon = found?.lexicon ?? articleLexicon(documents.map((document) => document.text), counts);
  const relations = found?.related && found.dictionaryEnglish ? { related: found.related, dictionaryEnglish: found.dictionaryEnglish } : dictionaryRelations(lexicon);
  return { lexicon, ...relations, sounds: found?.sounds ?? soundTable(documents) };
}
