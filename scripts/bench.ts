import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBotProcess, buildBot, type BotProcessResult } from '../src/bench/bot-process.js';
import { generateCorpus, loadSeedMaterial } from '../src/bench/corpus.js';
import { round } from '../src/bench/measure.js';
import { ingestPhase, queryPhase, type IngestPhaseResult, type QueryPhaseResult } from '../src/bench/phases.js';
import { formatProfile, summarizeProfiles } from '../src/bench/profile.js';
import { sampleQueries } from '../src/bench/queries.js';
import { ConfigError } from '../src/errors.js';
import { log, parseArguments, runMain } from './cli.js';

const USAGE = `Usage: npm run bench -- [--sizes 1000,10000,100000] [--json] [--queries N] [--seed N] [--keep DIR]
                       [--seeds DIR] [--warmup N] [--bot-chats N] [--profile DIR] [--dimensions N]
                       [--ef-sweep 96,200,400,800,1500]

Generates a synthetic archive from the seed articles at each size (in chunks), ingests it through
the real pipeline, and measures ingest, index size and load, retrieval (hybrid, BM25, HNSW, exact),
HNSW recall@10, extractive ask and RSS. Each phase runs in its own process. With --bot-chats N
(default 200; 0 skips it) N chats ask at once through the bot, in the query process and as the
compiled bot in a process of its own (npm start's command), whose RSS is read from /proc.
--profile DIR writes
a CPU profile of every phase there (node --cpu-prof) and prints where the time went.`;

const SCRIPT = fileURLToPath(import.meta.url);
const MB = 1024 * 1024;

interface Job {
  phase: 'ingest' | 'query';
  options: unknown;
  out: string;
}

runMain(async () => {
  const { options } = parseArguments(
    process.argv.slice(2),
    ['json', 'help'],
    ['sizes', 'queries', 'seed', 'keep', 'seeds', 'warmup', 'bot-chats', 'profile', 'dimensions', 'ef-sweep', 'job'],
  );
  if (options.help) return log(USAGE);
  if (options.job) {
    await runJob(String(options.job));
    // Whatever the phase left running (the bot benchmark's timers, sockets) must not keep the
    // child alive: its result is written. (--cpu-prof still writes its profile on exit.)
    process.exit(0);
  }

  const sizes = String(options.sizes ?? '1000,10000,100000')
    .split(',')
    .map((size) => Number(size.trim().replace(/k$/i, '000')));
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) throw new ConfigError('--sizes takes chunk counts, e.g. --sizes 1000,10000,100000');
  const count = integerOption(options.queries, 200, '--queries');
  const seed = integerOption(options.seed, 42, '--seed');
  const warmup = integerOption(options.warmup, Math.min(20, count), '--warmup');
  const botChats = integerOption(options['bot-chats'], 200, '--bot-chats');
  const dimensions = integerOption(options.dimensions, 512, '--dimensions');
  const efSweep = String(options['ef-sweep'] ?? '96,200,400,800,1500')
    .split(',')
    .filter((ef) => ef.trim())
    .map((ef) => integerOption(ef.trim(), 0, '--ef-sweep'))
    .filter((ef) => ef > 0);
  const seedsDir = String(options.seeds ?? 'seeds');
  const profileDir = options.profile ? path.resolve(String(options.profile)) : undefined;
  const keep = options.keep ? path.resolve(String(options.keep)) : undefined;
  if (profileDir) await mkdir(profileDir, { recursive: true });

  const material = await loadSeedMaterial(seedsDir);
  if (botChats > 0) {
    log('compiling the bot (npm run build) for the bot-process benchmark…');
    buildBot();
  }
  const rows: Record<string, unknown>[] = [];
  for (const size of sizes) {
    const work = keep ? path.join(keep, `size-${size}`) : await mkdtemp(path.join(os.tmpdir(), `cppcc-bench-${size}-`));
    if (keep) await rm(work, { recursive: true, force: true });
    const corpusDir = path.join(work, 'seeds');
    const indexDir = path.join(work, 'index');
    try {
      log(`[${size}] generating the synthetic corpus (seed ${seed})…`);
      const generated = performance.now();
      const corpus = await generateCorpus({ seedsDir, outDir: corpusDir, chunks: size, seed });
      const queries = await sampleQueries({ count, seed, material, people: corpus.people, years: corpus.years, evalFile: 'eval/questions.jsonl' });
      await writeFile(path.join(work, 'queries.json'), `${JSON.stringify(queries, null, 1)}\n`);
      log(`[${size}] ${corpus.articles} articles, ${corpus.chunks} chunks, ${(corpus.chars / 1e6).toFixed(1)} M chars in ${((performance.now() - generated) / 1000).toFixed(1)} s; ingesting…`);

      const ingest = await child<IngestPhaseResult>(work, 'ingest', { seedsDir: corpusDir, indexDir, dimensions }, profileDir, size);
      log(`[${size}] ingest ${ingest.seconds.toFixed(1)} s (${Math.round(ingest.chunksPerSecond)} chunks/s); measuring ${count} queries…`);
      const query = await child<QueryPhaseResult>(work, 'query', { indexDir, queries, warmup, botChats, efSweep }, profileDir, size);
      const botProcess = botChats > 0 ? await benchBotProcess({ indexDir, questions: queries, chats: botChats }) : undefined;
      const row = reportRow(size, corpus.articles, ingest, query, botProcess);
      rows.push(row);
      log(`[${size}] ${summaryLine(row)}`);
    } finally {
      if (!keep) await rm(work, { recursive: true, force: true });
    }
  }

  const report = { machine: machine(), command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), seed, queries: count, sizes: rows };
  if (options.json) {
    console.log(JSON.stringify(report, null, 2));
    log(`\n${formatReport(report.sizes)}`);
  } else console.log(formatReport(report.sizes));
  if (profileDir) for (const summary of await summarizeProfiles(profileDir)) log(`\n${formatProfile(summary)}`);
});

function integerOption(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new ConfigError(`${name} takes a whole number (got "${value}").`);
  return parsed;
}

/** Runs one phase in a fresh Node process (own heap, own peak RSS, own CPU profile). */
async function child<T>(work: string, phase: Job['phase'], options: unknown, profileDir: string | undefined, size: number): Promise<T> {
  const jobFile = path.join(work, `${phase}.job.json`);
  const out = path.join(work, `${phase}.result.json`);
  await writeFile(jobFile, JSON.stringify({ phase, options, out } satisfies Job));
  // One folder per phase: Node writes a profile per thread, and a fixed file name would let them overwrite each other.
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, `size-${size}-${phase}`)}`] : [];
  const args = [...process.execArgv, '--expose-gc', ...profile, SCRIPT, '--job', jobFile];
  await new Promise<void>((resolve, reject) => {
    const process_ = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    process_.on('error', reject);
    process_.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`the ${phase} phase at ${size} chunks failed (${signal ?? `exit ${code}`})`))));
  });
  return JSON.parse(await readFile(out, 'utf8')) as T;
}

async function runJob(jobFile: string): Promise<void> {
  const job = JSON.parse(await readFile(jobFile, 'utf8')) as Job;
  const result = job.phase === 'ingest' ? await ingestPhase(job.options as Parameters<typeof ingestPhase>[0]) : await queryPhase(job.options as Parameters<typeof queryPhase>[0]);
  await writeFile(job.out, JSON.stringify(result));
}

function reportRow(size: number, articles: number, ingest: IngestPhaseResult, query: QueryPhaseResult, botProcess?: BotProcessResult): Record<string, unknown> {
  const stages = Object.fromEntries(Object.entries(ingest.stages).map(([name, seconds]) => [name, round(seconds)]));
  return {
    target_chunks: size,
    chunks: ingest.chunks,
    documents: articles,
    ingest_chunks_per_s: round(ingest.chunksPerSecond),
    build_s: round(ingest.seconds),
    index_mb: round(ingest.indexBytes / MB),
    serving_index_mb: round(ingest.servingBytes / MB),
    load_ms: round(query.loadMs),
    retrieval_p50_ms: round(query.hybrid.p50),
    retrieval_p95_ms: round(query.hybrid.p95),
    retrieval_p99_ms: round(query.hybrid.p99),
    bm25_p50_ms: round(query.bm25.p50),
    bm25_p95_ms: round(query.bm25.p95),
    hybrid_over_bm25: round(query.hybrid.p50 / Math.max(query.bm25.p50, 1e-6)),
    hnsw_p50_ms: round(query.hnsw.p50),
    hnsw_p95_ms: round(query.hnsw.p95),
    hnsw_p99_ms: round(query.hnsw.p99),
    exact_p50_ms: round(query.exact.p50),
    exact_over_hnsw: round(query.exact.p50 / Math.max(query.hnsw.p50, 1e-6)),
    recall_at_10: round(query.recallAt10),
    recall_at_10_strict: round(query.recallAt10Strict),
    ef_search: query.efSearch,
    ef_calibration_recall_at_10: query.efCalibration?.recallAt10 ?? null,
    embed_p50_ms: round(query.embed.p50),
    ask_p50_ms: round(query.ask.p50),
    ask_p95_ms: round(query.ask.p95),
    ask_p99_ms: round(query.ask.p99),
    first_ask_ms: round(query.firstAskMs),
    warmup_max_ask_ms: round(query.warmupMaxAskMs),
    rss_mb: round(query.servingPeakRssMb),
    rss_steady_mb: round(query.servingSteadyRssMb),
    rss_after_load_mb: round(query.rssAfterLoadMb),
    ingest_rss_mb: round(ingest.peakRssMb),
    ingest_stages_s: stages,
    files_mb: Object.fromEntries(Object.entries(ingest.files).map(([name, bytes]) => [name, round(bytes / MB)])),
    ef_sweep: query.efSweep.map((point) => ({ ef: point.ef, recall_at_10: round(point.recallAt10), p50_ms: round(point.p50Ms), p95_ms: round(point.p95Ms) })),
    ...(query.bot ? { bot: query.bot } : {}),
    ...(botProcess
      ? {
          bot_process: {
            idle_rss_mb: botProcess.idleRssMb, warm_up_ms: botProcess.warmUpMs, rss_mb: botProcess.rssMb, peak_rss_mb: botProcess.peakRssMb,
            updates_per_s: botProcess.updatesPerSecond, p50_ms: botProcess.p50Ms, p95_ms: botProcess.p95Ms,
          },
        }
      : {}),
  };
}

function summaryLine(row: Record<string, unknown>): string {
  return (
    `build ${row.build_s} s (${row.ingest_chunks_per_s} chunks/s) · index ${row.index_mb} MB · load ${row.load_ms} ms · ` +
    `hybrid p50/p95 ${row.retrieval_p50_ms}/${row.retrieval_p95_ms} ms · bm25 p50 ${row.bm25_p50_ms} ms · ` +
    `hnsw p50 ${row.hnsw_p50_ms} ms vs exact ${row.exact_p50_ms} ms · recall@10 ${row.recall_at_10} · ` +
    `ask p50/p95 ${row.ask_p50_ms}/${row.ask_p95_ms} ms · rss ${row.rss_mb} MB`
  );
}

const LABELS: [string, string][] = [
  ['chunks', 'chunks'],
  ['documents', 'articles'],
  ['ingest_chunks_per_s', 'ingest (chunks/s)'],
  ['build_s', 'build (s)'],
  ['index_mb', 'index on disk (MB)'],
  ['serving_index_mb', '… read by the bot (MB)'],
  ['load_ms', 'index load (ms)'],
  ['retrieval_p50_ms', 'hybrid retrieval p50 (ms)'],
  ['retrieval_p95_ms', 'hybrid retrieval p95 (ms)'],
  ['retrieval_p99_ms', 'hybrid retrieval p99 (ms)'],
  ['bm25_p50_ms', 'BM25 alone p50 (ms)'],
  ['hybrid_over_bm25', 'hybrid / BM25 (p50)'],
  ['embed_p50_ms', 'query embedding p50 (ms)'],
  ['hnsw_p50_ms', 'HNSW k=10 p50 (ms)'],
  ['hnsw_p95_ms', 'HNSW k=10 p95 (ms)'],
  ['exact_p50_ms', 'exact k=10 p50 (ms)'],
  ['exact_over_hnsw', 'exact / HNSW (p50)'],
  ['ef_search', 'efSearch (calibrated by ingest)'],
  ['ef_calibration_recall_at_10', '… recall@10 on ingest\'s sample questions'],
  ['recall_at_10', 'HNSW recall@10'],
  ['recall_at_10_strict', 'HNSW recall@10 (strict ids)'],
  ['ask_p50_ms', 'extractive ask p50 (ms)'],
  ['ask_p95_ms', 'extractive ask p95 (ms)'],
  ['ask_p99_ms', 'extractive ask p99 (ms)'],
  ['first_ask_ms', 'first ask after load (ms)'],
  ['warmup_max_ask_ms', 'slowest warm-up ask (ms)'],
  ['rss_mb', 'serving peak RSS (MB)'],
  ['rss_steady_mb', 'serving RSS after GC (MB)'],
  ['ingest_rss_mb', 'ingest peak RSS (MB)'],
];

function formatReport(rows: Record<string, unknown>[]): string {
  const header = `| | ${rows.map((row) => `${row.target_chunks}`).join(' | ')} |`;
  const rule = `|---|${rows.map(() => '---:').join('|')}|`;
  const lines = LABELS.map(([key, label]) => `| ${label} | ${rows.map((row) => String(row[key] ?? '')).join(' | ')} |`);
  const stages = [...new Set(rows.flatMap((row) => Object.keys((row.ingest_stages_s as Record<string, number>) ?? {})))];
  for (const stage of stages) lines.push(`| ingest: ${stage} (s) | ${rows.map((row) => String((row.ingest_stages_s as Record<string, number>)[stage] ?? '')).join(' | ')} |`);
  const files = [...new Set(rows.flatMap((row) => Object.keys((row.files_mb as Record<string, number>) ?? {})))];
  for (const file of files) lines.push(`| file: ${file} (MB) | ${rows.map((row) => String((row.files_mb as Record<string, number>)[file] ?? '')).join(' | ')} |`);
  const efs = [...new Set(rows.flatMap((row) => ((row.ef_sweep as { ef: number }[]) ?? []).map((point) => point.ef)))].sort((a, b) => a - b);
  for (const ef of efs) {
    const cell = (row: Record<string, unknown>) => {
      const point = (row.ef_sweep as { ef: number; recall_at_10: number; p50_ms: number }[]).find((p) => p.ef === ef);
      return point ? `${point.recall_at_10} @ ${point.p50_ms} ms` : '';
    };
    lines.push(`| HNSW ef=${ef}: recall@10 @ p50 | ${rows.map(cell).join(' | ')} |`);
  }
  const processes = rows.filter((row) => row.bot_process);
  if (processes.length) {
    const field = (row: Record<string, unknown>, key: string) => String((row.bot_process as Record<string, unknown> | undefined)?.[key] ?? '');
    for (const [key, label] of [['idle_rss_mb', 'bot process: RSS polling, before questions (MB)'], ['warm_up_ms', 'bot process: first zh + en question (ms)'], ['rss_mb', 'bot process: RSS after the chats (MB)'], ['peak_rss_mb', 'bot process: peak RSS (MB)'], ['updates_per_s', 'bot process: updates/s'], ['p50_ms', 'bot process: reply p50 (ms)'], ['p95_ms', 'bot process: reply p95 (ms)']]) {
      lines.push(`| ${label} | ${rows.map((row) => field(row, key!)).join(' | ')} |`);
    }
  }
  const bots = rows.filter((row) => row.bot);
  const bot = bots.length ? `\n\nbot: ${bots.map((row) => `${row.target_chunks}: ${JSON.stringify(row.bot)}`).join('\n     ')}` : '';
  return [header, rule, ...lines].join('\n') + bot;
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memory_gb: round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}
