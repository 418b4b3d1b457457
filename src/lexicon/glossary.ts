import { existsSync, readFileSync } from 'node:fs';

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

let loaded: { text: string; entries: Map<string, string[]> } | undefined;

// Next to this module (src/, or dist/ after `npm run build` copies it), else the source file
// when the compiled code runs from dist/src/ without the copy (a bare `tsc -p tsconfig.build.json`).
const LOCATIONS = ['./glossary.tsv', '../../../src/lexicon/glossary.tsv'];

function load(): { text: string; entries: Map<string, string[]> } {
  if (loaded) return loaded;
  const file = LOCATIONS.map((location) => new URL(location, import.meta.url)).find((url) => existsSync(url));
  if (!file) throw new Error(`The domain glossary is missing: expected src/lexicon/glossary.tsv next to ${new URL('.', import.meta.url).pathname}`);
  const text = readFileSync(file, 'utf8');
  loaded = { text, entries: parseGlossary(text, file.pathname) };
  return loaded;
}

/** The glossary shipped with the code (read once). */
export function glossary(): ReadonlyMap<string, string[]> {
  return load().entries;
}

/** The glossary file as it is: an ingest compares its hash to tell whether the lexicon must be rebuilt. */
export function glossaryText(): string {
  return load().text;
}
