import { readFileSync } from 'node:fs';

/**
 * The domain glossary (glossary.tsv next to this file): English phrase → Chinese terms, for the
 * forum domain's roles, bodies, sessions and policy vocabulary that CC-CEDICT lacks or glosses
 * too loosely. Data, not code: edit the file; its header says what belongs there.
 */
export function parseGlossary(text: string, source = 'glossary.tsv'): Map<string, string[]> {
  const glossary = new Map<string, string[]>();
  text.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const [english, chinese, extra] = line.split('\t');
    const terms = (chinese ?? '').split('|').map((term) => term.trim()).filter(Boolean);
    if (!english?.trim() || terms.length === 0 || extra !== undefined) {
      throw new Error(`${source} line ${i + 1}: expected "english<TAB>中文|中文", got ${JSON.stringify(line)}`);
    }
    const key = english.trim().toLowerCase();
    glossary.set(key, [...new Set([...(glossary.get(key) ?? []), ...terms])]);
  });
  return glossary;
}

let loaded: Map<string, string[]> | undefined;

/** The glossary shipped with the code (read once). */
export function glossary(): ReadonlyMap<string, string[]> {
  loaded ??= parseGlossary(readFileSync(new URL('./glossary.tsv', import.meta.url), 'utf8'));
  return loaded;
}
