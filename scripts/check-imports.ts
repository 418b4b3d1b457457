/**
 * `npm run check:imports`: src/ folders are layers, and each imports only layers below it in
 * LAYERS. Data flows one way — text → corpus → chunking → embedding → index → retrieval →
 * answering → summaries → telegram — so an import up the list (a back-edge) is the layering
 * broken, and so is a cycle between folders. Prints both; with --check exits 1 on either, or on
 * a folder LAYERS does not place.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : name.endsWith('.ts') ? [full] : [];
  });
}

/** Bottom first. types/errors/config are the shared vocabulary every layer may use. */
const LAYERS = [
  'types', 'errors', 'config', // shared
  'text', 'corpus', 'chunking', 'embedding', 'lexicon', 'index', // seeds → index (lexicon: the word tables ingest computes)
  'llm', // the LLM client (OpenAI wire format), a provider like the embedders: no answering in it
  'crosslingual', 'retrieval', 'answering', // question → answer (answering/llm: the LLM composer behind answering's interface)
  'redis', 'summaries', // subscriptions and digest content
  'app', // composition root: config → embedder and index, composer, summarizer
  'telegram', // delivery
  'evaluation', 'bench', // measurement
];

const layerOf = (file: string) => path.relative(ROOT, file).split(path.sep)[0]!.replace(/\.ts$/, '');
const edges = new Map<string, Set<string>>();
for (const file of files(ROOT)) {
  const from = layerOf(file);
  for (const match of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    const target = path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts'));
    const to = layerOf(target);
    if (to === from || to.startsWith('..')) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  }
}

// Every pair of folders that import each other, directly or through others (strongly connected).
const cycles: string[] = [];
const layers = [...edges.keys()].sort();
const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
  if (from === to) return true;
  seen.add(from);
  return [...(edges.get(from) ?? [])].some((next) => !seen.has(next) && reaches(next, to, seen));
};
for (const a of layers) for (const b of edges.get(a) ?? []) if (a < b && reaches(b, a)) cycles.push(`${a}⇄${b}`);
for (const a of layers) for (const b of edges.get(a) ?? []) if (a > b && reaches(b, a) && !cycles.includes(`${b}⇄${a}`)) cycles.push(`${b}⇄${a}`);

const unplaced = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((targets) => [...targets])])].filter((layer) => !LAYERS.includes(layer));
const upward: string[] = [];
for (const [from, targets] of edges) {
  for (const to of targets) if (LAYERS.includes(from) && LAYERS.indexOf(to) > LAYERS.indexOf(from)) upward.push(`${from}→${to}`);
}

console.log(cycles.length ? `Import cycles between layers: ${cycles.join(', ')}` : 'No import cycles between layers.');
console.log(upward.length ? `Imports up the layers: ${upward.join(', ')}` : `Every import points down the layers (${LAYERS.join(' < ')}).`);
if (unplaced.length) console.log(`Folders LAYERS does not place: ${unplaced.join(', ')}`);
if ((cycles.length || upward.length || unplaced.length) && process.argv.includes('--check')) {
  console.error('Import downward only (see README, "How it works"); a new folder goes into LAYERS in scripts/check-imports.ts.');
  process.exitCode = 1;
}
