import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Reads `node --cpu-prof` output and lists where the time went (self time by function and by file). */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  functions: ProfileLine[];
  files: ProfileLine[];
}

export async function summarizeProfile(file: string, top = 15, root = process.cwd()): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  // An anonymous function (a callback) is named after the nearest named function that called it.
  const namedCaller = (id: number): string => {
    for (let at = parents.get(id); at !== undefined; at = parents.get(at)) {
      const name = byId.get(at)?.callFrame.functionName;
      if (name) return name;
    }
    return '';
  };
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    total += us;
    const where = frame.url ? shorten(frame.url, root) : '';
    const caller = frame.functionName || !frame.url ? '' : namedCaller(id);
    const name = `${frame.functionName || `(anonymous${caller ? ` in ${caller}` : ''})`}${where ? ` ${where}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const fileKey = where || frame.functionName || '(native)';
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
  }
  const lines = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: total ? Math.round((1000 * us) / total) / 10 : 0 }));
  return { file, totalMs: Math.round(total / 1000), functions: lines(functions), files: lines(files) };
}

/**
 * One summary per phase. Each phase's profiles are in a folder of their own (size-N-phase/):
 * Node writes one per thread (tsx's module hooks run in a thread of their own on Node 20), and
 * the phase's work is in the busiest one. Loose .cpuprofile files are summarised as they are.
 */
export async function summarizeProfiles(directory: string, top = 15): Promise<ProfileSummary[]> {
  const summaries: ProfileSummary[] = [];
  for (const entry of (await readdir(directory, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const at = path.join(directory, entry.name);
    if (entry.isFile() && entry.name.endsWith('.cpuprofile')) summaries.push(await summarizeProfile(at, top));
    if (!entry.isDirectory()) continue;
    const threads = await Promise.all((await readdir(at)).filter((name) => name.endsWith('.cpuprofile')).map((name) => summarizeProfile(path.join(at, name), top)));
    const busiest = threads.sort((a, b) => busyMs(b) - busyMs(a))[0];
    if (busiest) summaries.push({ ...busiest, file: `${at} (busiest of ${threads.length} thread profiles: ${path.basename(busiest.file)})` });
  }
  return summaries;
}

/** Sampled time not spent idle. */
function busyMs(summary: ProfileSummary): number {
  return summary.totalMs - (summary.functions.find((line) => line.name === '(idle)')?.ms ?? 0);
}

export function formatProfile(summary: ProfileSummary): string {
  const table = (lines: ProfileLine[]) => lines.map((line) => `  ${String(line.ms).padStart(7)} ms ${String(line.share).padStart(5)}%  ${line.name}`).join('\n');
  return `${summary.file} (${summary.totalMs} ms sampled)\n self time by function:\n${table(summary.functions)}\n self time by file:\n${table(summary.files)}`;
}

function shorten(url: string, root: string): string {
  const file = url.replace(/^file:\/\//, '');
  const relative = path.relative(root, file);
  return relative.startsWith('..') ? file.replace(/^.*node_modules\//, 'node_modules/') : relative;
}
