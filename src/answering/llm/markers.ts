/**
 * Citation markers in model output. Models write [1], 【1】, ［１］, [1, 2], [1-3] or [Passage 1];
 * everything downstream sees only the canonical [1][2] form.
 */

const OPEN = '[［【';
const CLOSE = '\\]］】';
const LIST = '[0-9０-９]{1,3}(?:\\s*[,，、\\-–~]\\s*[0-9０-９]{1,3})*';
const ANY_MARKER = new RegExp(`[${OPEN}]\\s*(?:passages?|sources?|p|来源|段落|资料)?\\s*(${LIST})\\s*[${CLOSE}]`, 'giu');

export const MARKER = /\[(\d{1,3})\]/g;

/** Rewrites every citation form to [n] markers, one per number, adjacent duplicates removed. */
export function normalizeMarkers(text: string): string {
  const expanded = text.replace(ANY_MARKER, (_whole, list: string) => {
    const numbers: number[] = [];
    for (const part of list.normalize('NFKC').split(/\s*[,，、]\s*/)) {
      const range = /^(\d+)\s*[-–~]\s*(\d+)$/.exec(part);
      if (range) {
        const [from, to] = [Number(range[1]), Number(range[2])];
        // A short ascending range is a list of citations; anything else is not trusted.
        if (to >= from && to - from < 10) for (let n = from; n <= to; n++) numbers.push(n);
      } else if (/^\d+$/.test(part)) numbers.push(Number(part));
    }
    return numbers.map((n) => `[${n}]`).join('');
  });
  return expanded.replace(/\[(\d{1,3})\](?:\s*\[\1\])+/g, '[$1]');
}

/** The numbers of the markers in the text, in order of appearance (repeats kept). */
export function markersIn(text: string): number[] {
  return [...text.matchAll(MARKER)].map((match) => Number(match[1]));
}

export function stripMarkers(text: string): string {
  return text.replace(MARKER, '');
}

/** Drops markers for which `keep` is false (and a space left dangling before them). */
export function dropMarkers(text: string, keep: (n: number) => boolean): string {
  return text.replace(/\s?\[(\d{1,3})\]/g, (whole, n: string) => (keep(Number(n)) ? whole : ''));
}

/**
 * Renumbers markers 1..k in order of first use; `order[i]` is the original number of new i+1.
 * The first-use order of a prefix is a prefix of the whole text's, so a growing stream renumbers stably.
 */
export function renumber(text: string): { text: string; order: number[] } {
  const order: number[] = [];
  const renumbered = text.replace(MARKER, (_whole, n: string) => {
    const original = Number(n);
    let index = order.indexOf(original);
    if (index < 0) index = order.push(original) - 1;
    return `[${index + 1}]`;
  });
  return { text: renumbered, order };
}

/** Length of a trailing, possibly unfinished marker ("…平台[1", "…【", "[Passage"), to hold back while streaming. */
export function partialMarkerLength(text: string): number {
  const match = new RegExp(`[${OPEN}][^${CLOSE}\\n]{0,24}$`, 'u').exec(text);
  return match ? match[0].length : 0;
}
