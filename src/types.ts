// The shapes that flow one way through the pipeline:
// seeds → Document → Chunk → vectors/index → RetrievedChunk → Answer.

/** One forum article after loading (and, later, cleaning). */
export interface ForumDocument {
  /** Stable id derived from the file name, e.g. "000" for "000_427e375fdec6027b.txt". */
  id: string;
  /** File name relative to the seeds folder. */
  file: string;
  title: string;
  /** ISO date (YYYY-MM-DD) of the forum session or the report, when known. */
  date?: string;
  publisher?: string;
  url?: string;
  /** Forum session name, e.g. "北京市政协十四届四次会议专题座谈会". */
  session?: string;
  /** The reporters who wrote it (from the byline or dateline): metadata, never answerable text. */
  reporters?: string[];
  /** Members declared in the sidecar metadata (name, organisation, post): they take precedence over extraction. */
  declaredMembers?: { name: string; organisation: string; post: string; sector?: string }[];
  /** The article body (cleaned once it has passed through clean()). */
  text: string;
}

/** A passage of a cleaned document. `text === document.text.slice(start, end)`. */
export interface Chunk {
  /** `${docId}#${ordinal}` */
  id: string;
  docId: string;
  ordinal: number;
  start: number;
  end: number;
  text: string;
}

export interface RetrievedChunk extends Chunk {
  /** Fused relevance score: higher is better. */
  score: number;
  /** Cosine similarity from the vector index, when the chunk came from there. */
  vectorScore?: number;
  /** BM25 score, when the chunk came from keyword search. */
  keywordScore?: number;
}

export interface HistoryTurn {
  question: string;
  answer: string;
}

export interface Question {
  text: string;
  history?: HistoryTurn[];
}

export interface Citation {
  n: number;
  docId: string;
  title: string;
  date: string | null;
  url: string | null;
  chunkId: string;
  /** The stored passage, exactly as in the cleaned article. */
  text: string;
}

export interface Answer {
  text: string;
  refused: boolean;
  mode: 'llm' | 'extractive';
  citations: Citation[];
  /** Claims removed by citation verification (LLM mode). */
  dropped?: string[];
  /** One-line notices for the user, e.g. "LLM unreachable; extractive answer". */
  notices?: string[];
  /** The extractive answerer's evidence score, and whether a refusal came from a rule rather than the threshold (for the eval's calibration). */
  evidence?: { score: number; hard: boolean };
}
