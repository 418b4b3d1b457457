/**
 * Which sentences of a cited passage the answer rests on, so a reader is shown those first.
 * An extractive answer quotes its passages word for word (cut to clauses, a speaker label in
 * front, English framing around); an LLM answer paraphrases. Both are matched the same way: by
 * how much of the claim's wording — Han character pairs, Latin words and numbers — a passage
 * sentence holds. When nothing holds enough, the passage's first sentence stands for it.
 */
import { splitSentences, type Span } from '../chunking/sentences.js';

/** Share of a claim's wording a sentence must hold to count as what the claim cites. */
const MINIMUM_SHARE = 0.3;
/** A further sentence counts only when it adds this much of the claim not yet accounted for. */
const MINIMUM_ADDED_SHARE = 0.25;
const MAX_SENTENCES_PER_CLAIM = 3;

/**
 * The claims of an answer by citation number: for each [n], the text it is attached to (from
 * the previous marker or line start up to the marker), framing and speaker labels removed.
 */
export function claimsByCitation(answer: string): Map<number, string[]> {
  const claims = new Map<number, string[]>();
  for (const line of answer.split('\n')) {
    let from = 0;
    for (const match of line.matchAll(/(?:\[\d+\])+/g)) {
      const claim = claimText(line.slice(from, match.index));
      from = match.index + match[0].length;
      if (!claim) continue;
      for (const marker of match[0].matchAll(/\[(\d+)\]/g)) {
        const n = Number(marker[1]);
        claims.set(n, [...(claims.get(n) ?? []), claim]);
      }
    }
  }
  return claims;
}

/** The quoted Chinese inside English framing is the claim; a "王磊：" label is not part of it. */
function claimText(text: string): string {
  const quoted = [...text.matchAll(/“([^]*)”/g)].map((match) => match[1]!).sort((a, b) => b.length - a.length)[0];
  const claim = quoted && /[A-Za-z]{3}/.test(text.replace(/“[^]*”/g, '')) ? quoted : text;
  return claim.replace(/^\s*\p{Script=Han}{2,4}：/u, '').trim();
}

/**
 * The sentences of `passage` that the claims rest on, in passage order, as offsets into it;
 * the first sentence when no claim matches any sentence well.
 */
export function citedSentences(passage: string, claims: readonly string[]): Span[] {
  const sentences = splitSentences(passage);
  if (sentences.length === 0) return [];
  const grams = sentences.map((span) => wording(passage.slice(span.start, span.end)));
  const chosen = new Set<number>();
  for (const claim of claims) {
    const wanted = comparableWording(claim);
    if (wanted.size === 0) continue;
    const uncovered = new Set(wanted);
    for (let round = 0; round < MAX_SENTENCES_PER_CLAIM && uncovered.size; round++) {
      let best = -1;
      let bestAdded = 0;
      let bestPrecision = 0;
      grams.forEach((sentenceGrams, i) => {
        if (chosen.has(i)) return;
        let added = 0;
        for (const gram of uncovered) if (sentenceGrams.has(gram)) added++;
        const precision = sentenceGrams.size ? added / sentenceGrams.size : 0;
        if (added > bestAdded || (added === bestAdded && added > 0 && precision > bestPrecision)) {
          best = i;
          bestAdded = added;
          bestPrecision = precision;
        }
      });
      const share = bestAdded / wanted.size;
      if (best < 0 || share < (round === 0 ? MINIMUM_SHARE : MINIMUM_ADDED_SHARE)) break;
      chosen.add(best);
      for (const gram of grams[best]!) uncovered.delete(gram);
    }
  }
  if (chosen.size === 0) return [sentences[0]!];
  return [...chosen].sort((a, b) => a - b).map((i) => sentences[i]!);
}

/** An English claim about a Chinese passage matches by the Chinese terms and numbers it carries, not its English words. */
function comparableWording(claim: string): Set<string> {
  const grams = wording(claim);
  const han = [...grams].filter((gram) => /\p{Script=Han}/u.test(gram));
  if (han.length < 2) return grams;
  return new Set([...grams].filter((gram) => !/^[a-z]+$/.test(gram)));
}

/** What a text says, for matching: pairs of Han characters, and Latin words and numbers. */
function wording(text: string): Set<string> {
  const grams = new Set<string>();
  const normalised = text.normalize('NFKC').toLowerCase();
  for (const run of normalised.match(/\p{Script=Han}+/gu) ?? []) {
    if (run.length === 1) grams.add(run);
    for (let i = 0; i + 1 < run.length; i++) grams.add(run.slice(i, i + 2));
  }
  for (const word of normalised.match(/[a-z0-9][a-z0-9.+%-]*/g) ?? []) grams.add(word);
  return grams;
}
