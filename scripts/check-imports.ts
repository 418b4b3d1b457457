/**
 * `npm run check:imports`: the import graph of src/ must have no cycles between folders
 * (layers). Data flows one way — text → corpus → chunking → embedding → index → retrieval →
 * answering → summaries → telegram — and a folder importing one that imports it back is the
 * layering broken. Prints each cycle; exits 1 when one is not in KNOWN (cycles being removed,
 * issue 14), so no new one lands.
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

console.log(cycles.length ? `Import cycles between layers: ${cycles.join(', ')}` : 'No import cycles between layers.');
if (cycles.length && process.argv.includes('--check')) {
  console.error(`Import cycle(s): ${cycles.join(', ')}. Import downward only (see README, "How it works").`);
  process.exitCode = 1;
}
