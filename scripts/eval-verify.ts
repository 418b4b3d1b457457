/**
 * `npm run eval:verify`: replays the hand-written model replies of eval/verify/replies.jsonl
 * (faithful ones, and ones with one planted error each) through the real ask path with a scripted
 * model on 127.0.0.1, and reports what verification caught, re-cited or let through.
 */
import { loadConfig } from '../src/config.js';
import { readQuestions } from '../src/evaluation/questions.js';
import { formatSummary, readReplies, runReplies, summarise } from '../src/evaluation/verify-replies.js';
import { openIndex } from '../src/app/open-index.js';
import { log, parseArguments, runMain } from './cli.js';

const USAGE = `Usage: npm run eval:verify -- [--replies FILE] [--index DIR] [--verbose] [--check]
  --check  exits 1 unless no planted error reaches the user, at most 1 in 50 true sentences is
           dropped, faithful replies keep >= 95% of their facts and no preview shows a removed sentence.`;

runMain(async () => {
  const { options } = parseArguments(process.argv.slice(2), ['verbose', 'check', 'help'], ['replies', 'index']);
  if (options.help) return log(USAGE);
  const config = loadConfig({ ...process.env, EMBEDDER: 'lexical', ...(options.index ? { INDEX_DIR: String(options.index) } : {}) });
  const index = await openIndex(config, log);
  const replies = await readReplies(String(options.replies ?? 'eval/verify/replies.jsonl'));
  const facts = new Map<string, string[]>();
  for (const file of ['eval/questions.jsonl', 'eval/dev.jsonl']) for (const question of await readQuestions(file)) facts.set(question.id, question.facts ?? []);
  const timings: number[] = [];
  const results = await runReplies(index, replies, (id) => facts.get(id) ?? [], timings);
  await index.close();
  if (options.verbose) {
    for (const result of results) {
      const problems = [
        result.outcome && result.outcome !== 'caught' ? `${result.error}: ${result.outcome}` : '',
        result.trueDropped.length ? `dropped true: ${result.trueDropped.join(' | ')}` : '',
        result.type === 'faithful' && result.lostFacts.length ? `facts lost: ${result.lostFacts.join(' | ')}` : '',
        result.previewLeaks.length ? `preview showed: ${result.previewLeaks.join(' | ')}` : '',
      ].filter(Boolean);
      if (problems.length) console.log(`${result.id} ${problems.join(' · ')}\n    → ${result.answer.replace(/\n/g, ' ')}`);
    }
    console.log('');
  }
  const summary = summarise(results);
  console.log(formatSummary(summary));
  // The delay streaming verified text adds: one verification per completed sentence of the stream.
  const sorted = [...timings].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  console.log(`preview verification per completed sentence: median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms (${sorted.length} updates)`);
  const reached = [...summary.byError.values()].reduce((sum, row) => sum + row.reached, 0);
  const missed = [
    reached > 0 ? `${reached} planted error(s) reached the user` : '',
    summary.trueDropped * 50 > summary.trueSentences ? `true sentences dropped ${summary.trueDropped}/${summary.trueSentences} > 1 in 50` : '',
    summary.facts.kept < 0.95 * summary.facts.stated ? `facts kept ${summary.facts.kept}/${summary.facts.stated} < 95%` : '',
    summary.previewLeaks ? `${summary.previewLeaks} preview(s) showed a removed sentence` : '',
  ].filter(Boolean);
  console.log(missed.length ? `\nTargets missed: ${missed.join('; ')}` : '\nTargets met.');
  if (options.check && missed.length) process.exitCode = 1;
});
