import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { openIndex } from '../src/app/open-index.js';
import { createSummarizer } from '../src/app/choose-summarizer.js';
import { parseChatId, postHtml } from '../src/telegram/digests/post.js';
import { digestHtml, digestText, overviewHtml } from '../src/telegram/digests/render.js';
import { latestDocumentId, overview, overviewToText } from '../src/summaries/summarise.js';
import { loadSummaryConfig } from '../src/telegram/config.js';
import { log, parseArguments, runMain } from './cli.js';

const USAGE = 'Usage: npm run -s summary -- [--doc ID | --all] [--post CHAT_ID] [--lang zh|en] [--json] [--index DIR]';

runMain(async () => {
  const { options, rest } = parseArguments(process.argv.slice(2), ['all', 'json', 'help'], ['doc', 'index', 'post', 'lang']);
  if (options.help || rest.length) return log(USAGE);
  if (options.all && options.doc) throw new ConfigError(`--doc and --all exclude each other. ${USAGE}`);
  const language = String(options.lang ?? 'zh');
  if (language !== 'zh' && language !== 'en') throw new ConfigError(`--lang must be zh or en (got "${language}").`);
  const chatId = options.post !== undefined ? parseChatId(String(options.post)) : undefined;
  const token = process.env.TELEGRAM_BOT_TOKEN?.trim();
  if (chatId !== undefined && !token) throw new ConfigError('--post needs TELEGRAM_BOT_TOKEN (in .env or the environment).');

  const config = loadConfig({ ...process.env, ...(options.index ? { INDEX_DIR: String(options.index) } : {}) });
  const summaries = loadSummaryConfig(process.env);
  const index = await openIndex(config, log);
  const post = async (html: string) => {
    const apiRoot = process.env.TELEGRAM_API_ROOT?.trim().replace(/\/+$/, '') || undefined;
    const messageIds = await postHtml({ token: token!, apiRoot, chatId: chatId!, html });
    log(`Posted to ${chatId}: ${messageIds.length} message(s) (ids ${messageIds.join(', ')}).`);
    return messageIds;
  };

  if (options.all) {
    const sessions = overview(index);
    const posted = chatId !== undefined ? await post(overviewHtml(sessions, language)) : undefined;
    if (options.json) console.log(JSON.stringify({ sessions, ...(posted ? { posted: { chatId, messageIds: posted } } : {}) }));
    else if (!posted) console.log(overviewToText(sessions));
    return;
  }
  const docId = options.doc ? String(options.doc) : latestDocumentId(index);
  if (!docId || !index.corpus.documents.has(docId)) {
    throw new ConfigError(`No article "${docId}" in the index. Known: ${[...index.corpus.documents.keys()].join(', ')}.`);
  }
  // Written by the LLM (verified) when one is configured and SUMMARY_MODE is not extractive.
  const digest = await createSummarizer(config, summaries.mode, log).digest(index, docId, language);
  const posted = chatId !== undefined ? await post(digestHtml(digest)) : undefined;
  if (options.json) {
    console.log(JSON.stringify({ ...digest.summary, mode: digest.mode, ...(digest.llm ? { llm: digest.llm } : {}), ...(posted ? { posted: { chatId, messageIds: posted } } : {}) }));
  } else if (!posted) {
    console.log(digestText(digest));
  }
});
