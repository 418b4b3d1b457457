import { loadConfig } from '../src/config.js';
import { loadingReport } from '../src/corpus/loading-report.js';
import type { BuildProgress } from '../src/index/build.js';
import { buildConfiguredIndex, summaryLine } from '../src/app/open-index.js';
import { log, parseArguments, runMain } from './cli.js';

const USAGE = 'Usage: npm run ingest -- [--seeds DIR] [--index DIR] [--force]';

runMain(async () => {
  const { options, rest } = parseArguments(process.argv.slice(2), ['force', 'help'], ['seeds', 'index']);
  if (options.help || rest.length) return log(USAGE);
  const config = loadConfig({
    ...process.env,
    ...(options.seeds ? { SEEDS_DIR: String(options.seeds) } : {}),
    ...(options.index ? { INDEX_DIR: String(options.index) } : {}),
  });
  const started = performance.now();
  const interactive = process.stderr.isTTY;
  const progress = (event: BuildProgress) => {
    if (event.stage === 'loaded') for (const line of loadingReport(event)) log(line);
    if (!interactive) return;
    const elapsed = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    const line =
      event.stage === 'loaded' ? `${event.documents} articles loaded`
      : event.stage === 'chunked' ? `${event.chunks} chunks, ${event.toEmbed} to embed`
      : event.stage === 'embedding' ? `embedding ${event.done}/${event.total}`
      : 'writing the index';
    process.stderr.write(`\r\x1b[2K${line} · ${elapsed}`);
    if (event.stage === 'writing') process.stderr.write('\n');
  };
  const result = await buildConfiguredIndex(config, { force: Boolean(options.force), log, onProgress: progress });
  if (interactive) process.stderr.write('\r\x1b[2K');
  console.log(summaryLine(result, config));
});
