// English words and a light lemmatiser: how the lexicon keys an English phrase, and how a
// question's words are looked up in it.

export function englishWords(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? []).flatMap((word) =>
    /^[a-z]+-[a-z]+/.test(word) ? word.split('-') : [word.replace(/'s$/, '')],
  );
}

/** Plural, past and gerund forms to a base form good enough for dictionary lookup. */
export function lemma(word: string): string {
  if (word.length <= 3 || /^\d/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(ches|shes|xes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ied')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  return word;
}

/**
 * Forms to try for a word: itself, its lemma, the lemma with a final "e" restored ("upgrad" →
 * "upgrade"), and for an adverb in -ly the adjective it is made from ("nationally" → "national",
 * "jointly" → "joint"), tried only after the word itself ("supply" stays "supply").
 */
export function wordForms(word: string): string[] {
  const base = lemma(word);
  return [...new Set([word, base, `${base}e`, ...adjectiveOf(word)])];
}

function adjectiveOf(adverb: string): string[] {
  if (adverb.length <= 5 || !adverb.endsWith('ly')) return [];
  if (adverb.endsWith('ily')) return [`${adverb.slice(0, -3)}y`];
  return [adverb.slice(0, -2)];
}
