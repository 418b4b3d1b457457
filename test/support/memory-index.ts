import { chunkDocument } from '../../src/chunking/chunk.js';
import { KeywordIndex } from '../../src/index/bm25.js';
import { keywordText } from '../../src/index/context.js';
import { Corpus } from '../../src/index/corpus.js';
import type { ArticleIndex } from '../../src/index/article-index.js';
import { Presence } from '../../src/index/presence.js';
import type { StoredDocument } from '../../src/index/store.js';
import { articleWordTables, type WordTables } from '../../src/lexicon/word-tables.js';
import { searchTerms } from '../../src/text/tokenize.js';
import type { Chunk } from '../../src/types.js';

export interface MemoryDocument {
  id: string;
  title: string;
  date?: string;
  session?: string;
  text: string;
}

/**
 * An index built in memory as ingest builds it (real chunker, keyword texts, tokeniser, corpus,
 * term presence and word tables), with no vectors: for the parts of answering that read the articles.
 * The word tables (three passes over CC-CEDICT) are built when first read.
 */
export function memoryIndex(documents: MemoryDocument[]): ArticleIndex {
  const stored = new Map<string, StoredDocument>();
  const chunks: Chunk[] = [];
  for (const document of documents) {
    const full: StoredDocument = { ...document, file: `${document.id}.txt`, contentHash: '', people: [] };
    stored.set(document.id, full);
    chunks.push(...chunkDocument(full));
  }
  const keywords = KeywordIndex.build(chunks.map((chunk) => searchTerms(keywordText(stored.get(chunk.docId)!, chunk))));
  let words: WordTables | undefined;
  return {
    corpus: new Corpus(stored.values(), chunks),
    keywords,
    presence: new Presence(stored.values(), chunks, keywords),
    get words() {
      return (words ??= articleWordTables([...stored.values()], keywords));
    },
  };
}
