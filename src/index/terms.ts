import { isHan, searchTerms } from '../text/tokenize.js';

/**
 * `searchTerms` for many texts that share pieces, tokenising each shared piece once. At ingest
 * a chunk's keyword text and its embedding text both hold the passage, and every chunk of an
 * article repeats its title, date and session: without sharing, jieba reads each chunk ~2.5
 * times over. With an `intern` function the terms also come as ids (`ids(text)`), looked up
 * once per piece rather than once per use.
 *
 * Exactness: jieba, the Han-bigram pass and the Latin-token pass never join characters across
 * whitespace, so the terms of a text are the terms of its whitespace-separated pieces, taken
 * category by category — `searchTerms` lists all jieba words first, then all bigrams (`~ab`),
 * then all Latin tokens and numbers, each in text order. `terms(text)` returns exactly
 * `searchTerms(text)`, same terms in the same order (so vectors are bit-identical); a test checks
 * it on the seeds and the synthetic corpus.
 */
export class SharedTerms {
  private readonly cache = new Map<string, PieceTerms>();

  constructor(
    private readonly intern?: (term: string) => number,
    private readonly maxPieces = 20_000,
  ) {}

  terms(text: string): string[] {
    const pieces = this.pieces(text);
    const terms: string[] = [];
    for (const category of CATEGORIES) for (const piece of pieces) for (const term of piece[category]) terms.push(term);
    return terms;
  }

  /** The ids (from `intern`) of `terms(text)`, in the same order. */
  ids(text: string): number[] {
    const pieces = this.pieces(text);
    const ids: number[] = [];
    for (const category of CATEGORIES) {
      for (const piece of pieces) {
        const list = this.idsOf(piece)[category];
        for (let i = 0; i < list.length; i++) ids.push(list[i]!);
      }
    }
    return ids;
  }

  private pieces(text: string): PieceTerms[] {
    const pieces: PieceTerms[] = [];
    for (const piece of text.split(/\s+/)) if (piece) pieces.push(this.piece(piece));
    return pieces;
  }

  private piece(piece: string): PieceTerms {
    let split = this.cache.get(piece);
    if (split) return split;
    split = { words: [], bigrams: [], latin: [] };
    for (const term of searchTerms(piece)) {
      if (term.startsWith('~')) split.bigrams.push(term);
      else if (isHan(term[0] ?? '')) split.words.push(term);
      else split.latin.push(term);
    }
    if (this.cache.size >= this.maxPieces) this.cache.clear();
    this.cache.set(piece, split);
    return split;
  }

  private idsOf(piece: PieceTerms): Record<Category, Int32Array> {
    if (!piece.ids) {
      const intern = this.intern;
      if (!intern) throw new Error('SharedTerms.ids needs an intern function');
      piece.ids = {
        words: Int32Array.from(piece.words, intern),
        bigrams: Int32Array.from(piece.bigrams, intern),
        latin: Int32Array.from(piece.latin, intern),
      };
    }
    return piece.ids;
  }
}

const CATEGORIES = ['words', 'bigrams', 'latin'] as const;
type Category = (typeof CATEGORIES)[number];

interface PieceTerms {
  words: string[];
  bigrams: string[];
  latin: string[];
  ids?: Record<Category, Int32Array>;
}
