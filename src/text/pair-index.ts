/** What the pair builder asks of a keyword index: how many chunks hold a Han bigram. */
export interface BigramCounts {
  bigramFrequency(first: number, second: number): number;
}
import { normalizeText } from './tokenize.js';

/**
 * The character-pair index behind ArchiveText (index/vocabulary.ts): the pairs of adjacent
 * UTF-16 code units of each document's vocabulary V that the keyword index's bigrams do not
 * cover, the windows of V around document boundaries, and the cached character classes both
 * rely on. It lives apart so vocabulary.ts holds only what V and T are and how a term is looked
 * up; ArchiveText's window length (WINDOW) is passed in.
 */

/**
 * The windows of V around each boundary between two documents: the window - 1 code units
 * before it and after it (reaching into further documents when one is shorter), so any match
 * of up to window units across a boundary lies inside one window, and holds the pair of units
 * across it. Sorted by that pair.
 */
export function boundaryWindows(heads: string[], tails: string[], window: number): { keys: Uint32Array; windows: string[] } {
  const side = window - 1;
  const after: string[] = new Array(heads.length);
  let right = '';
  for (let d = heads.length - 1; d >= 0; d--) {
    right = (heads[d]! + right).slice(0, side);
    after[d] = right;
  }
  const found: { key: number; window: string }[] = [];
  let left = '';
  for (let d = 0; d + 1 < heads.length; d++) {
    left = (left + tails[d]!).slice(-side);
    const next = after[d + 1]!;
    if (left && next) found.push({ key: pairKey(left.charCodeAt(left.length - 1), next.charCodeAt(0)), window: left + next });
  }
  found.sort((a, b) => a.key - b.key);
  return { keys: Uint32Array.from(found, (boundary) => boundary.key), windows: found.map((boundary) => boundary.window) };
}

export function pairKey(first: number, second: number): number {
  return ((first << 16) | second) >>> 0;
}

/** First index whose key is >= key. */
export function lowerBound(keys: Uint32Array, key: number): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Whether a document's chunks cover every place its text could give a Han bigram: each
 * character whose normalised form holds a Han character lies in a chunk, and so does each
 * pair of two such characters. Otherwise the keyword index may miss a bigram of its text.
 */
export class Coverage {
  private units = new Int32Array(0);
  private boundaries = new Int32Array(0);

  covers(text: string, spans: { start: number; end: number }[]): boolean {
    if (this.units.length < text.length + 1) {
      this.units = new Int32Array(text.length + 1);
      this.boundaries = new Int32Array(text.length + 1);
    }
    const { units, boundaries } = this;
    units.fill(0, 0, text.length + 1);
    boundaries.fill(0, 0, text.length + 1);
    for (const { start, end } of spans) {
      units[start]!++;
      units[end]!--;
      // Boundary k lies between units k and k + 1.
      if (end - start >= 2) {
        boundaries[start]!++;
        boundaries[end - 1]!--;
      }
    }
    let inUnit = 0;
    let inBoundary = 0;
    let previousHan = false;
    let previousBoundaryCovered = false;
    for (let k = 0; k < text.length; k++) {
      inUnit += units[k]!;
      const han = yieldsHan(text.charCodeAt(k));
      if (han && inUnit <= 0) return false;
      if (han && previousHan && !previousBoundaryCovered) return false;
      inBoundary += boundaries[k]!;
      previousBoundaryCovered = inBoundary > 0;
      previousHan = han;
    }
    return true;
  }
}

/**
 * Collects, document by document, the pairs of adjacent code units of V the keyword index does
 * not have for that document, and V's code units and each document's first and last units.
 */
export class PairBuilder {
  private readonly slots = new Map<number, number>();
  private readonly keys: number[] = [];
  private readonly lists: number[][] = [];
  private readonly lastDocument: number[] = [];
  /** Direct-mapped cache of pairs known to be keyword bigrams. */
  private readonly indexedKeys = new Uint32Array(1 << 16);
  private document = 0;
  private uncovered = false;
  private previous = -1;
  private previousAt = -2;
  private previousHan = false;
  private previousInText = false;
  private count = 0;
  private readonly first: number[] = [];
  private readonly last: Uint16Array;

  constructor(
    private readonly keywords: BigramCounts,
    private readonly units: Uint8Array,
    private readonly window: number,
  ) {
    this.last = new Uint16Array(window - 1);
  }

  startDocument(document: number, uncovered: boolean): void {
    this.document = document;
    this.uncovered = uncovered;
    this.previous = -1;
    this.count = 0;
    this.first.length = 0;
  }

  /** The normalised title and dates (inText false), then the normalised text (inText true). */
  walk(text: string, inText: boolean): void {
    for (let i = 0; i < text.length; ) {
      const unit = text.charCodeAt(i);
      if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) {
        const kind = classOf(text.codePointAt(i)!);
        if (!(kind & REMOVED)) {
          this.add(unit, i, (kind & HAN) !== 0, inText);
          this.add(text.charCodeAt(i + 1), i + 1, (kind & HAN) !== 0, inText);
        }
        i += 2;
      } else {
        const kind = classOf(unit);
        if (!(kind & REMOVED)) this.add(unit, i, (kind & HAN) !== 0, inText);
        i++;
      }
    }
  }

  private add(unit: number, at: number, han: boolean, inText: boolean): void {
    this.units[unit] = 1;
    if (this.previous >= 0) {
      const key = pairKey(this.previous, unit);
      // Two Han units next to each other in a covered text: a bigram of the keyword index,
      // unless it leaves that bigram out (stopwords), which it then does everywhere.
      const bigram = inText && this.previousInText && this.previousAt === at - 1 && han && this.previousHan && !this.uncovered && this.indexed(key);
      if (!bigram) this.record(key);
    }
    if (this.first.length < this.window - 1) this.first.push(unit);
    this.last[this.count % (this.window - 1)] = unit;
    this.count++;
    this.previous = unit;
    this.previousAt = at;
    this.previousHan = han;
    this.previousInText = inText;
  }

  private indexed(key: number): boolean {
    const slot = Math.imul(key, 0x9e3779b1) >>> 16;
    if (this.indexedKeys[slot] === key) return true;
    if (this.keywords.bigramFrequency(key >>> 16, key & 0xffff) === 0) return false;
    this.indexedKeys[slot] = key;
    return true;
  }

  private record(key: number): void {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.keys.length;
      this.slots.set(key, slot);
      this.keys.push(key);
      this.lists.push([]);
      this.lastDocument.push(-1);
    }
    if (this.lastDocument[slot] !== this.document) {
      this.lastDocument[slot] = this.document;
      this.lists[slot]!.push(this.document);
    }
  }

  head(): string {
    return String.fromCharCode(...this.first);
  }

  tail(): string {
    const size = Math.min(this.count, this.window - 1);
    const units: number[] = [];
    for (let i = this.count - size; i < this.count; i++) units.push(this.last[i % (this.window - 1)]!);
    return String.fromCharCode(...units);
  }

  finish(): { keys: Uint32Array; starts: Uint32Array; documents: Uint32Array } {
    const order = this.keys.map((_, slot) => slot).sort((a, b) => this.keys[a]! - this.keys[b]!);
    const keys = new Uint32Array(order.length);
    const starts = new Uint32Array(order.length + 1);
    let total = 0;
    for (const list of this.lists) total += list.length;
    const documents = new Uint32Array(total);
    let at = 0;
    order.forEach((slot, i) => {
      keys[i] = this.keys[slot]!;
      starts[i] = at;
      documents.set(this.lists[slot]!, at);
      at += this.lists[slot]!.length;
    });
    starts[order.length] = at;
    return { keys, starts, documents };
  }
}

// Per code point: computed, removed from V (punctuation, symbols, blanks), Han; for the text's
// raw characters, whether the normalised form holds a Han character.
export const KNOWN = 1;
export const REMOVED = 2;
const HAN = 4;
const YIELDS_KNOWN = 8;
const YIELDS_HAN = 16;
export const bmpClasses = new Uint8Array(65536);
const astralClasses = new Map<number, number>();
const REMOVED_PATTERN = /^[\p{P}\p{S}\s]$/u;
const HAN_PATTERN = /\p{Script=Han}/u;

export function classOf(codePoint: number): number {
  if (codePoint < 0x10000) {
    let kind = bmpClasses[codePoint]!;
    if (!(kind & KNOWN)) bmpClasses[codePoint] = kind |= computeClass(codePoint);
    return kind;
  }
  let kind = astralClasses.get(codePoint);
  if (kind === undefined) astralClasses.set(codePoint, (kind = computeClass(codePoint)));
  return kind;
}

function computeClass(codePoint: number): number {
  const char = String.fromCodePoint(codePoint);
  return KNOWN | (REMOVED_PATTERN.test(char) ? REMOVED : 0) | (HAN_PATTERN.test(char) ? HAN : 0);
}

/** A raw code unit that may become (part of) a Han character of the normalised text. */
function yieldsHan(unit: number): boolean {
  if (isSurrogate(unit)) return true;
  let kind = classOf(unit);
  if (!(kind & YIELDS_KNOWN)) {
    kind |= YIELDS_KNOWN | (kind & HAN || HAN_PATTERN.test(normalizeText(String.fromCharCode(unit))) ? YIELDS_HAN : 0);
    bmpClasses[unit] = kind;
  }
  return (kind & YIELDS_HAN) !== 0;
}

export function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}

export function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

export function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
