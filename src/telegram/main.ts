import path from 'node:path';
import { warmUp } from '../answering/ask.js';
import { createComposer } from '../app/choose-composer.js';
import type { Config } from '../config.js';
import type { ForumIndex } from '../index/forum-index.js';
import { describeError, ForumBotError } from '../errors.js';
import { IndexHolder } from '../index/holder.js';
import { buildConfiguredIndex, loadConfiguredIndex, openIndex, summaryLine } from '../app/open-index.js';
import { SummaryDelivery, syncConfiguredChats } from './digests/deliver.js';
import { createSummarizer } from '../app/choose-summarizer.js';
import { openSubscriptionStore } from '../summaries/subscriptions.js';
import { createBot } from './bot.js';
import { reindexService, type DigestSender } from './reindex.js';
import type { BotConfig } from './config.js';
import { connect } from './connect.js';
import { Inflight } from './inflight.js';
import { UndeliveredNotices } from './notices.js';
import { redactingLog, type Log } from './redact.js';
import { registerCommands, startPolling, type RunningBot } from './run.js';
import { createSessionStore } from './session.js';
import { startWebhook } from './webhook.js';

/**
 * The bot process from start to exit: index (built if missing, hot-reloaded), sessions, polling or
 * webhook, then on SIGINT/SIGTERM: stop taking updates, finish replies under way, exit 0.
 */
export async function runBot(settings: BotConfig, config: Config, sink: Log): Promise<void> {
  const log = redactingLog(settings.token, sink);
  // Whatever escapes every handler still must not print the token (Node's default would, with a stack).
  process.on('unhandledRejection', (error) => log(`Unhandled rejection (continuing): ${describeError(error)}`));
  process.on('uncaughtException', (error) => {
    log(`Uncaught exception: ${describeError(error)}`);
    process.exit(1);
  });
  // Listening from the start. Before the first update is taken there is nothing to finish: a
  // signal then (a first index build, Telegram unreachable) stops the process at once.
  let answering = false;
  const stopping = new AbortController();
  const signalled = new Promise<string>((resolve) => {
    const on = (name: string) => () => {
      stopping.abort();
      if (!answering) {
        log(`${name} during start-up: stopped before taking any update.`);
        process.exit(0);
      }
      resolve(name);
    };
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });

  // A new index (npm run ingest, noticed by the watcher, or /reindex) may bring articles subscribers have not had.
  let onSwap: () => void = () => undefined;
  // Each index pays its one-time costs (jieba's dictionary, IDF, the articles' sounds,
  // CC-CEDICT's senses) before it answers, so no user's first question waits for them (~5.6 s
  // at 100k chunks; the lexicon and term presence come built with the loaded index).
  const warmed = (index: ForumIndex) => {
    const started = performance.now();
    warmUp(index);
    log(`Index warmed up in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    return index;
  };
  const holder = await IndexHolder.open(
    { directory: config.indexDir, load: async (directory) => warmed(await loadConfiguredIndex(config, directory)), log, onSwap: () => onSwap() },
    warmed(await openIndex(config, log)),
  );
  holder.watch();
  const sessions = createSessionStore(settings.session, log);
  const subscriptions = await openSubscriptionStore(settings.summaries, log, sessions.redis).catch(async (error: unknown) => {
    holder.close();
    await sessions.close();
    throw error;
  });
  const summarizer = createSummarizer(config, settings.summaries.mode, log);
  const inflight = new Inflight();
  const notices = new UndeliveredNotices({ log });
  const abort = new AbortController();
  // Made once the bot can post (below); a rebuild before that reports no digests.
  let digestSender: DigestSender | undefined;

  const bot = createBot({
    token: settings.token,
    apiRoot: settings.apiRoot,
    index: () => holder.current,
    // LLM answers when OPENAI_MODEL is configured (streamed by editing), extractive otherwise.
    composer: createComposer(config, log),
    maxQuestionChars: config.maxQuestionChars,
    adminUserIds: settings.adminUserIds,
    summarizer,
    subscriptions,
    // /reindex and uploaded articles: the build of `npm run ingest`, then the digests the swap sends.
    // Its failure is posted to the admin's chat: without the server's folders (the log keeps them).
    reindex: withoutPathsInErrors(reindexService({
      build: async () => {
        const built = await buildConfiguredIndex(config, { log });
        for (const problem of built.problems) log(`Reindex: skipped ${problem.message}`);
        log(`Reindex: ${summaryLine(built, config)}`);
        return built;
      },
      holder,
      digests: () => digestSender,
    }), config, log),
    seedsDir: config.seedsDir,
    sessionStorage: sessions.storage,
    history: { turns: settings.session.historyTurns, ttlMinutes: settings.session.historyTtlMinutes },
    rateLimit: { ...settings.rateLimit, redis: sessions.redis },
    throttle: settings.throttle,
    requestTimeoutSeconds: settings.requestTimeoutSeconds,
    notices,
    streamEditIntervalMs: settings.streamEditIntervalMs,
    inflight,
    signal: abort.signal,
    log,
  });

  // After a failure past this point open handles (Redis, watchers, sockets) would keep the process alive: exit explicitly.
  const fail = async (error: unknown): Promise<never> => {
    holder.close();
    await subscriptions.close();
    await sessions.close();
    log(`Error: ${describeError(error)}`);
    process.exit(1);
  };

  await connect(bot, { log, signal: stopping.signal }).catch(fail);
  const running: RunningBot = await (settings.webhook
    ? startWebhook(bot, { ...settings.webhook, log, inflight })
    : startPolling(bot, { inflight, log, pollTimeoutSeconds: settings.pollTimeoutSeconds })
  ).catch(fail);
  answering = true;
  await registerCommands(bot, settings.adminUserIds, log);
  log(`@${bot.botInfo.username} is answering (${running.mode}) from ${holder.current.corpus.documents.size} articles in ${config.indexDir}/; Ctrl+C to stop.`);

  // Digests: this process is the one sender. On start it posts whatever is pending (a crash
  // part-way left the rest), then after every index swap whatever the new articles add.
  const delivery = new SummaryDelivery({ api: bot.api, store: subscriptions, summarizer, index: () => holder.current, log });
  digestSender = { delivery, store: subscriptions };
  onSwap = () => void delivery.trigger('an index reload');
  // SUMMARY_CHAT_IDS are recorded at start, or once Redis returns if it was away then.
  const recordConfiguredChats = () =>
    syncConfiguredChats(subscriptions, settings.summaries.chats, holder.current, log).then(
      () => true,
      (error: unknown) => {
        log(`Summaries: SUMMARY_CHAT_IDS could not be recorded yet: ${describeError(error)}`);
        return false;
      },
    );
  let configuredChatsRecorded = await recordConfiguredChats();
  const active = await subscriptions.list().then((chats) => chats.filter((chat) => chat.active).length, describeError);
  const digests = summarizer.mode === 'llm' ? 'written by the LLM, verified' : 'extractive';
  log(
    typeof active === 'number'
      ? `Summaries: ${active} subscribed chat(s), kept in ${subscriptions.where}; digests ${digests}.`
      : `Summaries: subscriptions unknown (${active}); digests (${digests}) are posted once it is back.`,
  );
  subscriptions.onReturn?.(() => {
    void (async () => {
      configuredChatsRecorded ||= await recordConfiguredChats();
      await delivery.trigger('Redis returning');
    })();
  });
  void delivery.trigger('start');

  const reason = await Promise.race([signalled, running.failed.catch(fail)]);

  // A second signal means "now".
  const forceExit = () => process.exit(1);
  process.once('SIGINT', forceExit);
  process.once('SIGTERM', forceExit);
  log(`${reason}: no new updates; finishing ${inflight.size} reply(ies) in progress…`);
  await running.stop();
  // The digest message in flight finishes (and is recorded); the rest waits for the next start.
  await Promise.race([delivery.stop(), new Promise((resolve) => setTimeout(resolve, settings.shutdownTimeoutMs).unref())]);
  if (!(await inflight.drain(settings.shutdownTimeoutMs))) {
    log(`Gave up waiting after ${settings.shutdownTimeoutMs} ms; ${inflight.size} reply(ies) cut short.`);
    // Questions still queued behind their chat's earlier one no longer start; composers stop.
    inflight.close();
    abort.abort();
    await inflight.drain(1000);
  }
  const { kept, told } = await running.finish();
  if (kept) log(`${kept} update(s) not answered stay unconfirmed at Telegram: the next start answers them.`);
  if (told) log(`${told} user(s) told that the bot is restarting and to ask again.`);
  await notices.stop(1000);
  holder.close();
  await subscriptions.close();
  await sessions.close();
  log('Stopped.');
  // Keep-alive sockets and plugin timers would hold the process open for no purpose.
  process.exit(0);
}

/** A rebuild whose errors name no server folder: their text is posted to the admin's chat. */
function withoutPathsInErrors<T>(rebuild: () => Promise<T>, config: Config, log: Log): () => Promise<T> {
  return async () => {
    try {
      return await rebuild();
    } catch (error) {
      const shown = withoutServerPaths(describeError(error), config);
      if (shown === describeError(error)) throw error;
      log(`Reindex failed: ${describeError(error)}`);
      throw new ForumBotError(shown, { cause: error });
    }
  };
}

/** An error's text without the server's folders (index, seeds, working directory): it goes to a chat. */
export function withoutServerPaths(text: string, config: Config): string {
  const folders: [string, string][] = [
    [path.resolve(config.indexDir), 'the index folder'],
    [path.resolve(config.seedsDir), 'the seeds folder'],
    // Relative ones only as paths ("embeddings/…"): the bare word may be part of a sentence.
    [`${config.indexDir}/`, 'the index folder/'],
    [`${config.seedsDir}/`, 'the seeds folder/'],
    [process.cwd(), '.'],
  ];
  return folders.filter(([folder]) => folder.length > 1).reduce((line, [folder, name]) => line.split(folder).join(name), text);
}
