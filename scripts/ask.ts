import { createInterface } from 'node:readline';
import { createAsker, type AskResult } from '../src/answering/ask.js';
import { questionLanguage } from '../src/answering/language.js';
import { describeGuide, type RefusalGuide } from '../src/answering/refusal-guide.js';
import { citedSentences, claimsByCitation } from '../src/answering/cited-sentences.js';
import { createComposer, describeComposer } from '../src/app/choose-composer.js';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { openIndex } from '../src/app/open-index.js';
import type { HistoryTurn } from '../src/types.js';
import { log, parseArguments, runMain } from './cli.js';

const USAGE = `Usage: npm run -s ask -- "question" [--json] [--index DIR]
       npm run -s ask -- --batch [--json] < questions.jsonl   (one {"id","question","history"?} per line)`;

runMain(async () => {
  const { options, rest } = parseArguments(process.argv.slice(2), ['json', 'batch', 'help'], ['index', 'seeds']);
  if (options.help || (!options.batch && rest.length === 0)) {
    log(USAGE);
    if (!options.help) process.exitCode = 2;
    return;
  }
  const config = loadConfig({
    ...process.env,
    ...(options.index ? { INDEX_DIR: String(options.index) } : {}),
    ...(options.seeds ? { SEEDS_DIR: String(options.seeds) } : {}),
  });
  const index = await openIndex(config, log);
  const composer = createComposer(config, log);
  log(`mode: ${describeComposer(composer)}`);
  const ask = createAsker({ index, composer, maxQuestionChars: config.maxQuestionChars });

  if (!options.batch) {
    const { retrieved: _retrieved, guide, ...result } = await ask(rest.join(' '));
    console.log(options.json ? JSON.stringify(result) : formatForTerminal(result, guide));
    return;
  }
  // Batch: one JSON line out per line in, in order; a bad line gets an error object, not a crash.
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (!line.trim()) continue;
    let input: { id?: unknown; question?: unknown; history?: unknown };
    try {
      input = JSON.parse(line);
    } catch {
      console.log(JSON.stringify({ id: null, error: `line ${lineNumber} is not valid JSON` }));
      continue;
    }
    const id = input.id === undefined ? String(lineNumber) : String(input.id);
    try {
      const history = Array.isArray(input.history) ? (input.history as HistoryTurn[]).filter((turn) => typeof turn?.question === 'string') : [];
      const { retrieved: _retrieved, guide: _guide, ...result } = await ask(String(input.question ?? ''), {
        history: history.map((turn) => ({ question: turn.question, answer: String(turn.answer ?? '') })),
      });
      console.log(JSON.stringify({ id, ...result }));
    } catch (error) {
      console.log(JSON.stringify({ id, question: input.question ?? null, error: describeError(error) }));
    }
  }
});

function formatForTerminal(result: AskResult, guide?: RefusalGuide): string {
  const lines = [result.answer];
  if (guide) lines.push(...describeGuide(guide, questionLanguage(result.question)));
  for (const notice of result.notices ?? []) lines.push(`(${notice})`);
  if (result.citations.length) {
    lines.push('', 'Sources:');
    const claims = claimsByCitation(result.answer);
    for (const citation of result.citations) {
      // The sentences the answer cites, not the passage's opening (often a heading).
      const cited = citedSentences(citation.text, claims.get(citation.n) ?? []).map((span) => citation.text.slice(span.start, span.end));
      const excerpt = cited.join(' … ').replace(/\s+/g, ' ');
      lines.push(`[${citation.n}] ${citation.title}${citation.date ? ` (${citation.date})` : ''}${citation.url ? ` ${citation.url}` : ''}`);
      lines.push(`    ${excerpt.length > 160 ? `${excerpt.slice(0, 160)}…` : excerpt}`);
    }
  }
  return lines.join('\n');
}
