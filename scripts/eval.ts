import { readFile } from 'node:fs/promises';
import { createAsker, warmUp, type AskTrace } from '../src/answering/ask.js';
import { createComposer, describeComposer } from '../src/answering/choose-composer.js';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { missedEnglishTargets, missedTargets, scoreQuestion, summarize, type EvalQuestion, type QuestionScore, type Summary } from '../src/evaluation/score.js';
import { openIndex } from '../src/index/open.js';
import { log, parseArguments, runMain } from './cli.js';

const USAGE = 'Usage: npm run eval -- [--questions FILE] [--index DIR] [--json] [--check] [--verbose]';

runMain(async () => {
  const { options } = parseArguments(process.argv.slice(2), ['json', 'check', 'verbose', 'help'], ['questions', 'index']);
  if (options.help) return log(USAGE);
  const config = loadConfig({ ...process.env, ...(options.index ? { INDEX_DIR: String(options.index) } : {}) });
  const file = String(options.questions ?? 'eval/questions.jsonl');
  const questions = (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as EvalQuestion;
      } catch {
        throw new ConfigError(`${file} line ${i + 1} is not valid JSON.`);
      }
    });

  const index = await openIndex(config, log);
  const composer = createComposer(config, log);
  const ask = createAsker({ index, composer, maxQuestionChars: config.maxQuestionChars });
  const traces = new Map<string, AskTrace>();
  const scores: QuestionScore[] = [];
  const mode = composer.mode;
  let fallbacks = 0;
  // One-time costs are paid before timing, as the bot pays them at start-up: latency is per question.
  warmUp(index);
  for (const question of questions) {
    const earlier = question.after ? traces.get(question.after) : undefined;
    const history = earlier ? [{ question: earlier.question, answer: earlier.answer }] : [];
    const trace = await ask(question.question, { history });
    if (trace.mode !== composer.mode) fallbacks++;
    traces.set(question.id, trace);
    scores.push(scoreQuestion(question, trace));
  }

  const byLanguage = (lang: string) => summarize(scores.filter((score) => score.lang === lang));
  const zh = byLanguage('zh');
  const en = byLanguage('en');
  const missed = [...missedTargets(zh), ...missedEnglishTargets(en)];
  if (options.json) {
    console.log(JSON.stringify({ mode, model: config.openAi.model && mode === 'llm' ? config.openAi.model : undefined, fallbacks, embedder: index.manifest.embedder.id, zh, en, all: summarize(scores), questions: scores, missed }, null, 2));
  } else {
    const fellBack = fallbacks ? ` · ${fallbacks} answer(s) fell back to extractive` : '';
    console.log(`mode: ${describeComposer(composer)} · embedder: ${index.manifest.embedder.id} · ${questions.length} questions from ${file}${fellBack}\n`);
    for (const score of scores) console.log(formatScore(score, Boolean(options.verbose)));
    console.log('');
    console.log(formatSummary('Chinese', zh));
    console.log(formatSummary('English', en));
    console.log(
      missed.length
        ? `\nTargets missed: ${missed.join('; ')}`
        : '\nTargets met: Chinese hit@1 >= 0.9, all facts >= 0.8, every unanswerable refused, none answerable refused; English hit@1 >= 0.7, every unanswerable refused.',
    );
  }
  if (options.check && missed.length) process.exitCode = 1;
});

function formatScore(score: QuestionScore, verbose: boolean): string {
  const mark = (value: boolean | null) => (value === null ? '-' : value ? '✓' : '✗');
  const outcome = score.answerable
    ? `${score.refused ? 'REFUSED' : 'answered'} hit@1 ${mark(score.hitAt1)} hit@5 ${mark(score.hitAt5)} facts ${mark(score.allFacts)}${score.missingFacts.length ? ` (missing ${score.missingFacts.join(', ')})` : ''}`
    : `${score.refused ? 'refused ✓' : 'ANSWERED ✗'}`;
  const line = `${score.id.padEnd(5)} ${score.lang} ${score.kind.padEnd(12)} ${outcome} · ${score.answerChars} chars · ${score.ms} ms`;
  return verbose || (score.answerable ? !score.allFacts || !score.hitAt1 : !score.refused) ? `${line}\n      ${score.answer}` : line;
}

function formatSummary(label: string, summary: Summary): string {
  if (summary.questions === 0) return `${label}: no questions`;
  const pct = (value: number) => value.toFixed(2);
  return (
    `${label} (${summary.questions} questions, ${summary.answerable} answerable): ` +
    `hit@1 ${pct(summary.hitAt1)} · hit@5 ${pct(summary.hitAt5)} · all facts ${pct(summary.allFacts)} · ` +
    `refused ${summary.correctRefusals}/${summary.shouldRefuse} unanswerable · false refusals ${summary.falseRefusals} · ` +
    `mean answer ${summary.meanAnswerChars} chars · p50 ${summary.p50Ms} ms · p95 ${summary.p95Ms} ms` +
    (summary.dropped ? ` · dropped claims ${summary.dropped}` : '')
  );
}
