import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { openIndex } from '../src/index/open.js';
import { latestDocumentId, overview, overviewToText, summariseDocument, summaryToText } from '../src/summaries/summarise.js';
import { log, parseArguments, runMain } from './cli.js';

const USAGE = 'Usage: npm run -s summary -- [--doc ID | --all] [--json] [--index DIR]';

runMain(async () => {
  const { options, rest } = parseArguments(process.argv.slice(2), ['all', 'json', 'help'], ['doc', 'index']);
  if (options.help || rest.length) return log(USAGE);
  const config = loadConfig({ ...process.env, ...(options.index ? { INDEX_DIR: String(options.index) } : {}) });
  const index = await openIndex(config, log);
  if (options.all) {
    const sessions = overview(index);
    console.log(options.json ? JSON.stringify({ sessions }) : overviewToText(sessions));
    return;
  }
  const docId = options.doc ? String(options.doc) : latestDocumentId(index);
  if (!docId || !index.documents.has(docId)) {
    throw new ConfigError(`No article "${docId}" in the index. Known: ${[...index.documents.keys()].join(', ')}.`);
  }
  const summary = summariseDocument(index, docId);
  console.log(options.json ? JSON.stringify(summary) : summaryToText(summary));
});
