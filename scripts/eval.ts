import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAsker, warmUp } from '../src/answering/ask.js';
import { createComposer, describeComposer } from '../src/app/choose-composer.js';
import { loadConfig, type Config } from '../src/config.js';
import { loadArticles } from '../src/corpus/load.js';
import { embedderForManifest } from '../src/app/choose-embedder.js';
import { Bm25Baseline } from '../src/evaluation/baseline.js';
import { readExpectedMembers, scoreMembers, type MemberScore } from '../src/evaluation/members.js';
import { readQuestions } from '../src/evaluation/questions.js';
import {
  formatCurve, formatMembers, formatRows, formatScore, groupRows, missedGeneralisationTargets, missedPublicTargets, refusalCurve,
  type ComparedScore,
} from '../src/evaluation/report.js';
import { runQuestionSet } from '../src/evaluation/run.js';
import { summarize } from '../src/evaluation/score.js';
import { buildIndex } from '../src/index/build.js';
import type { ForumIndex } from '../src/index/forum-index.js';
import { loadConfiguredIndex, openIndex } from '../src/app/open-index.js';
import { EXTRACTIVE_SETTINGS } from '../src/answering/extractive.js';
import { log, parseArguments, runMain } from './cli.js';

const USAGE = `Usage: npm run eval -- [--set public|dev|archive|all] [--questions FILE] [--index DIR] [--json] [--check] [--verbose] [--calibrate]
  public   eval/questions.jsonl over the seeds (CI gate)
  dev      eval/dev.jsonl over the seeds: questions written independently, with a style
  archive  eval/archive/archive.jsonl over the seeds plus the eight archive articles, and member extraction
  --questions FILE scores one file over the seeds index instead.`;

/**
 * Sets whose targets `--check` enforces in full. The dev set and the archive are gated target by
 * target: every target they meet fails the run if it slips back; the ones not met yet (issue 12)
 * are listed here and reported without failing. Shrink the lists as targets are met.
 */
const GATED = new Set(['public']);
const NOT_YET_MET: Record<string, string[]> = {};

/** The misses of a set that fail `--check`: all of a gated set's, a met target's elsewhere. */
function gatingMisses(result: { name: string; missed: string[] }): string[] {
  if (GATED.has(result.name) || result.name === 'file') return result.missed;
  const pending = NOT_YET_MET[result.name] ?? [];
  return result.missed.filter((missed) => !pending.some((target) => missed.startsWith(target)));
}

interface SetResult {
  name: string;
  file: string;
  index: string;
  scores: ComparedScore[];
  missed: string[];
  members?: MemberScore;
  fallbacks: number;
}

runMain(async () => {
  const { options } = parseArguments(process.argv.slice(2), ['json', 'check', 'verbose', 'calibrate', 'help'], ['questions', 'index', 'set']);
  if (options.help) return log(USAGE);
  const config = loadConfig({ ...process.env, ...(options.index ? { INDEX_DIR: String(options.index) } : {}) });
  const wanted = options.questions ? ['file'] : String(options.set ?? 'all') === 'all' ? ['public', 'dev', 'archive'] : [String(options.set)];
  for (const name of wanted) if (!['file', 'public', 'dev', 'archive'].includes(name)) throw new Error(`Unknown --set ${name}.\n${USAGE}`);

  const composer = createComposer(config, log);
  const seedsIndex = await openIndex(config, log);
  const results: SetResult[] = [];
  const runSet = async (name: string, file: string, index: ForumIndex, seedsDir: string, indexLabel: string) => {
    warmUp(index);
    const ask = createAsker({ index, composer, maxQuestionChars: config.maxQuestionChars });
    const baseline = new Bm25Baseline((await loadArticles(seedsDir)).documents);
    const run = await runQuestionSet(await readQuestions(file), ask, baseline, composer.mode);
    const rows = groupRows(run.scores);
    const result: SetResult = { name, file, index: indexLabel, scores: run.scores, missed: [], fallbacks: run.fallbacks };
    result.missed = name === 'public' || name === 'file' ? missedPublicTargets(run.scores) : missedGeneralisationTargets(run.scores, rows);
    return { result, rows, index };
  };

  const printed: string[] = [];
  const report = (result: SetResult, rows: ReturnType<typeof groupRows>) => {
    if (options.json) return;
    const fellBack = result.fallbacks ? ` · ${result.fallbacks} answer(s) fell back to extractive` : '';
    printed.push(`\n=== ${result.name}: ${result.scores.length} questions from ${result.file} over ${result.index}${fellBack}`);
    for (const score of result.scores) {
      const line = formatScore(score, Boolean(options.verbose));
      if (options.verbose || line.includes('\n')) printed.push(line);
    }
    printed.push('', formatRows(rows));
    if (result.members) printed.push('', formatMembers(result.members));
    if (options.calibrate) {
      const thresholds = Array.from({ length: 21 }, (_, i) => i * 0.05);
      printed.push('', formatCurve(refusalCurve(result.scores, thresholds), EXTRACTIVE_SETTINGS.minimumEvidence));
    }
    const gating = gatingMisses(result);
    const pending = result.missed.filter((missed) => !gating.includes(missed));
    if (!result.missed.length) printed.push('\nTargets met.');
    if (gating.length) printed.push(`\nTargets missed: ${gating.join('; ')}`);
    if (pending.length) printed.push(`\nTargets not met yet (reported, not gating): ${pending.join('; ')}`);
  };

  for (const name of wanted) {
    if (name === 'file' || name === 'public' || name === 'dev') {
      const file = name === 'file' ? String(options.questions) : name === 'public' ? 'eval/questions.jsonl' : 'eval/dev.jsonl';
      const { result, rows } = await runSet(name, file, seedsIndex, config.seedsDir, `${config.seedsDir}/`);
      results.push(result);
      report(result, rows);
    } else {
      const { dir, index } = await archiveIndex(config, seedsIndex);
      try {
        const { result, rows } = await runSet('archive', 'eval/archive/archive.jsonl', index, path.join(dir, 'seeds'), `${config.seedsDir}/ + eval/archive/`);
        const expected = await readExpectedMembers('eval/archive/members.json');
        result.members = scoreMembers(expected, (article) =>
          (index.corpus.documents.get(article)?.people ?? []).map((person) => ({ name: person.name, organisation: person.affiliation, post: person.role })),
        );
        result.missed = missedGeneralisationTargets(result.scores, rows, result.members);
        results.push(result);
        report(result, rows);
      } finally {
        await index.close();
        await rm(dir, { recursive: true, force: true });
      }
    }
  }

  if (options.json) {
    const sets = Object.fromEntries(
      results.map((result) => [
        result.name,
        {
          file: result.file,
          zh: summarize(result.scores.filter((score) => score.lang === 'zh')),
          en: summarize(result.scores.filter((score) => score.lang === 'en')),
          groups: groupRows(result.scores),
          members: result.members,
          missed: result.missed,
          gated: GATED.has(result.name) || result.name === 'file',
          gatingMisses: gatingMisses(result),
          questions: result.scores,
        },
      ]),
    );
    console.log(JSON.stringify({ mode: composer.mode, composer: describeComposer(composer), embedder: seedsIndex.manifest.embedder.id, sets }, null, 2));
  } else {
    console.log(`mode: ${describeComposer(composer)} · embedder: ${seedsIndex.manifest.embedder.id}`);
    console.log(printed.join('\n'));
  }
  await seedsIndex.close();
  const failing = results.map((result) => ({ name: result.name, misses: gatingMisses(result) })).filter((result) => result.misses.length);
  for (const { name, misses } of failing) if (options.check && !GATED.has(name)) console.error(`${name}: met targets slipped back: ${misses.join('; ')}`);
  if (options.check && failing.length) process.exitCode = 1;
});

/** The seeds and the archive's articles, indexed together in a temporary folder. */
async function archiveIndex(config: Config, seedsIndex: ForumIndex): Promise<{ dir: string; index: ForumIndex }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'forum-eval-archive-'));
  const seeds = path.join(dir, 'seeds');
  await cp(config.seedsDir, seeds, { recursive: true });
  for (const name of await readdir('eval/archive')) {
    if (/^a\d+\.txt$/.test(name)) await cp(path.join('eval/archive', name), path.join(seeds, name));
  }
  const embedder = await embedderForManifest(seedsIndex.manifest, config);
  await buildIndex({ seedsDir: seeds, indexDir: path.join(dir, 'index'), embedder });
  return { dir, index: await loadConfiguredIndex(config, path.join(dir, 'index')) };
}
