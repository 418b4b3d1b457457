/**
 * Pushes the digest of every new or changed article to every subscribed chat, once.
 *
 * For each active chat, each indexed article whose content hash the chat has not had is posted
 * (oldest first); (chat, hash) is recorded only after Telegram confirmed the post, part by part
 * for a digest split over several messages, and each part is recorded as in flight before it is
 * sent. So a re-run sends nothing, and a crash part-way re-sends only what was not confirmed.
 *
 * Duplicates: the Bot API cannot tell whether a message was posted, so a part in flight at a
 * crash (found recorded as in flight at the next start) is sent again, with a log line: it may
 * appear twice. That window is from Telegram taking the request to its reply being recorded —
 * one round trip and one store write (measured in test/telegram/digest-faults.test.ts). A part
 * whose reply is lost while the bot runs (connection cut, no answer in time) is not sent again:
 * it is counted as posted and logged with the command to post it by hand if it is missing.
 *
 * Failures: 403 (blocked, kicked, chat deleted) unsubscribes the chat with a log line; 429 waits
 * retry_after; 400 (chat not found, no right to post) logs what to fix and skips the chat until the
 * next delivery; a group upgraded to a supergroup moves to its new id; network errors and 5xx
 * stop the run and try again later. One run at a time; a trigger during a run queues one more.
 */
import { GrammyError, type Api } from 'grammy';
import { describeError } from '../../errors.js';
import type { ForumIndex } from '../../index/forum-index.js';
import type { StoredDocument } from '../../index/store.js';
import { isUncertainDelivery } from '../retry.js';
import { sendPart, type ReplyTarget } from '../send.js';
import { splitHtml } from '../split.js';
import type { Summarizer } from '../../summaries/digest.js';
import { digestHtml } from './render.js';
import { baselineOf, type ChatSubscription, type PendingDelivery, type SubscriptionStore } from '../../summaries/subscriptions.js';

export interface DeliveryOptions {
  /** The bot's API (its throttler and retry policy included): the bot process is the one sender. */
  api: Api;
  store: SubscriptionStore;
  summarizer: Summarizer;
  index: () => ForumIndex;
  log: (line: string) => void;
  /** The longest retry_after waited out; a longer one ends the run (tried again later). */
  maxRetryAfterSeconds?: number;
  /** After a network error or 5xx, run again after this long, doubling up to an hour; 0 = not by itself. */
  retryDelayMs?: number;
}

export interface DeliveryReport {
  posted: { chatId: number; docId: string; messageIds: number[] }[];
  /** Unsubscribed: the bot was blocked or removed, or the chat deleted (403). */
  dropped: number[];
  /** Kept, but nothing could be posted this time (400: not found, no rights). */
  unreachable: number[];
  /** Why the run ended early (network, 5xx, stopped), when it did. */
  interrupted?: string;
}

type Failure =
  | { kind: 'blocked'; detail: string }
  | { kind: 'cannot-post'; detail: string }
  | { kind: 'migrated'; to: number; detail: string }
  | { kind: 'transient'; detail: string };

const HOUR_MS = 3600_000;

class Interrupted extends Error {}

export class SummaryDelivery {
  private running: Promise<DeliveryReport> | undefined;
  private again = false;
  private readonly abort = new AbortController();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;

  constructor(private readonly options: DeliveryOptions) {
    this.retryDelay = options.retryDelayMs ?? 60_000;
  }

  /** Delivers what is pending now; concurrent calls share the run (plus one more run after it). */
  trigger(reason: string): Promise<DeliveryReport> {
    if (this.abort.signal.aborted) return Promise.resolve(emptyReport('stopped'));
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.retryTimer);
    const run = async (): Promise<DeliveryReport> => {
      const total = emptyReport();
      try {
        do {
          this.again = false;
          const report = await this.runOnce();
          total.posted.push(...report.posted);
          total.dropped.push(...report.dropped);
          total.unreachable.push(...report.unreachable);
          total.interrupted = report.interrupted;
          if (report.interrupted) break;
        } while (this.again && !this.abort.signal.aborted);
      } catch (error) {
        total.interrupted = describeError(error);
        this.options.log(`Summaries: delivery failed (${total.interrupted}).`);
      } finally {
        this.running = undefined;
      }
      if (total.posted.length) {
        const chats = new Set(total.posted.map((post) => post.chatId)).size;
        this.options.log(`Summaries: ${total.posted.length} digest(s) posted to ${chats} chat(s) after ${reason}.`);
      }
      this.scheduleRetry(total);
      return total;
    };
    this.running = run();
    return this.running;
  }

  /** Stops after the message in flight (a retry_after wait ends at once); resolves when the run has ended. */
  async stop(): Promise<void> {
    this.abort.abort();
    clearTimeout(this.retryTimer);
    await this.running?.catch(() => undefined);
  }

  private scheduleRetry(report: DeliveryReport): void {
    const base = this.options.retryDelayMs ?? 60_000;
    if (!report.interrupted) {
      this.retryDelay = base;
      return;
    }
    if (this.abort.signal.aborted || base <= 0) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, HOUR_MS);
    this.options.log(`Summaries: delivery stopped (${report.interrupted}); trying again in ${Math.round(delay / 1000)} s.`);
    this.retryTimer = setTimeout(() => void this.trigger('a retry'), delay);
    this.retryTimer.unref();
  }

  private async runOnce(): Promise<DeliveryReport> {
    const { store } = this.options;
    const report = emptyReport();
    const index = this.options.index();
    const documents = [...index.corpus.documents.values()].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.id.localeCompare(b.id));
    const chats = (await store.list())
      .filter((chat) => chat.active)
      .sort((a, b) => a.since.localeCompare(b.since) || a.chatId - b.chatId);
    const rendered = new Map<string, Promise<string[]>>();

    for (const subscription of chats) {
      if (this.abort.signal.aborted) return { ...report, interrupted: 'stopped' };
      try {
        await this.deliverToChat(subscription, index, documents, rendered, report);
      } catch (error) {
        if (error instanceof Interrupted) return { ...report, interrupted: error.message };
        throw error;
      }
    }
    return report;
  }

  private async deliverToChat(
    initial: ChatSubscription,
    index: ForumIndex,
    documents: StoredDocument[],
    rendered: Map<string, Promise<string[]>>,
    report: DeliveryReport,
  ): Promise<void> {
    const { store, log } = this.options;
    let chat = initial;
    const delivered = await store.delivered(chat.chatId);
    const pending = await store.pending(chat.chatId);
    const seenDocs = new Set([...delivered.values()].map((record) => record.docId));

    for (const document of documents) {
      if (delivered.has(document.contentHash)) continue;
      if (this.abort.signal.aborted) throw new Interrupted('stopped');
      const current = await store.get(chat.chatId);
      if (!current?.active) return; // unsubscribed meanwhile
      chat = current;
      const updated = seenDocs.has(document.id);
      const key = `${document.contentHash}:${chat.language}:${updated}`;
      if (!rendered.has(key)) rendered.set(key, this.render(index, document, chat.language, updated));
      let parts: string[];
      try {
        parts = await rendered.get(key)!;
      } catch (error) {
        rendered.delete(key);
        if (this.abort.signal.aborted) throw new Interrupted('stopped');
        log(`Summaries: cannot write the digest of ${document.id}: ${describeError(error)}; skipped this time.`);
        continue;
      }

      const result = await this.post(chat, document, pending.get(document.contentHash), parts);
      if ('messageIds' in result) {
        report.posted.push({ chatId: chat.chatId, docId: document.id, messageIds: result.messageIds });
        continue;
      }
      const failure = result.failure;
      switch (failure.kind) {
        case 'blocked':
          if (await store.end(chat.chatId, 'blocked', failure.detail)) {
            log(`Summaries: chat ${chat.chatId} blocked the bot, removed it or was deleted (${failure.detail}); unsubscribed.`);
          }
          report.dropped.push(chat.chatId);
          return;
        case 'cannot-post':
          log(
            `Summaries: cannot post to chat ${chat.chatId} (${failure.detail}). Add the bot to that chat with the right to post messages (in a channel: as an administrator who can post), or /unsubscribe there or remove it from SUMMARY_CHAT_IDS. It stays subscribed; tried again on the next delivery.`,
          );
          report.unreachable.push(chat.chatId);
          return;
        case 'migrated': {
          await store.migrate(chat.chatId, failure.to);
          log(`Summaries: chat ${chat.chatId} became supergroup ${failure.to}; its subscription moved there.`);
          const moved = await store.get(failure.to);
          if (moved?.active) return this.deliverToChat(moved, index, documents, rendered, report);
          return;
        }
        case 'transient':
          throw new Interrupted(failure.detail);
      }
    }
  }

  private async render(index: ForumIndex, document: StoredDocument, language: 'zh' | 'en', updated: boolean): Promise<string[]> {
    const digest = await this.options.summarizer.digest(index, document.id, language, this.abort.signal);
    return splitHtml(digestHtml(digest, { updated }));
  }

  /** Sends the parts not yet confirmed, recording each; the whole digest is recorded after the last. */
  private async post(
    chat: ChatSubscription,
    document: StoredDocument,
    pending: PendingDelivery | undefined,
    fresh: string[],
  ): Promise<{ messageIds: number[] } | { failure: Failure }> {
    const { store, log } = this.options;
    // A digest part-way goes on with the parts it started with, even if a new rendering would differ.
    const resumed = pending !== undefined && pending.sent < pending.parts.length ? pending : undefined;
    const parts = resumed?.parts ?? fresh;
    const messageIds = resumed ? [...resumed.messageIds] : [];
    const where = (i: number) => `part ${i + 1}/${parts.length} of the digest of ${document.id} to chat ${chat.chatId}`;
    if (resumed?.sending) {
      log(`Summaries: ${where(resumed.sending.part)} was being sent when delivery was cut off (${resumed.sending.at}: a crash, or the link failed); Telegram may have it already, so it may appear twice: sending it again.`);
    }
    const target: ReplyTarget = { chatId: chat.chatId, ...(chat.threadId !== undefined ? { threadId: chat.threadId } : {}) };
    const record = (sent: number, sending?: number) =>
      store.savePending(chat.chatId, document.contentHash, {
        docId: document.id,
        parts,
        sent,
        messageIds,
        ...(sending !== undefined ? { sending: { part: sending, at: new Date().toISOString() } } : {}),
      });
    for (let i = resumed?.sent ?? 0; i < parts.length; i++) {
      await record(i, i);
      try {
        messageIds.push(await this.send(target, parts[i]!, i === 0));
      } catch (error) {
        if (isUncertainDelivery(error)) {
          // Telegram most likely has it (the request went out; the reply did not come back): a second copy would be worse than a gap.
          log(`Summaries: ${where(i)}: ${error.message}. Counted as posted; if it is missing there, post the digest by hand: npm run summary -- --doc ${document.id} --post ${chat.chatId}`);
          messageIds.push(0);
        } else {
          // Telegram answered with an error, or the send never started: surely not posted, no longer in flight.
          // (A network error keeps the record: the next attempt says the part may have arrived.)
          if (error instanceof GrammyError || error instanceof Interrupted) await record(i);
          if (error instanceof Interrupted) throw error;
          return { failure: classify(error) };
        }
      }
      if (i + 1 < parts.length) await record(i + 1);
    }
    await store.markDelivered(chat.chatId, document.contentHash, { docId: document.id, at: new Date().toISOString(), messageIds });
    return { messageIds };
  }

  /** One message; a 429 is waited out (up to the cap) and the message tried again. */
  private async send(target: ReplyTarget, html: string, first: boolean): Promise<number> {
    const cap = this.options.maxRetryAfterSeconds ?? 3600;
    for (;;) {
      if (this.abort.signal.aborted) throw new Interrupted('stopped');
      try {
        return await sendPart(this.options.api, target, html, first);
      } catch (error) {
        const seconds = error instanceof GrammyError && error.error_code === 429 ? (error.parameters.retry_after ?? 5) : undefined;
        if (seconds === undefined) throw error;
        if (seconds > cap) throw new Interrupted(`Telegram asks to wait ${seconds} s (429), longer than ${cap} s`);
        this.options.log(`Summaries: Telegram asks to wait ${seconds} s before posting to chat ${target.chatId} (429); waiting.`);
        await sleep(seconds * 1000, this.abort.signal);
      }
    }
  }
}

function classify(error: unknown): Failure {
  if (error instanceof GrammyError) {
    const detail = `${error.error_code}: ${error.description}`;
    if (error.error_code === 403) return { kind: 'blocked', detail };
    if (error.error_code === 400 && error.parameters.migrate_to_chat_id) return { kind: 'migrated', to: error.parameters.migrate_to_chat_id, detail };
    if (error.error_code === 400) return { kind: 'cannot-post', detail };
    return { kind: 'transient', detail };
  }
  return { kind: 'transient', detail: describeError(error) };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Interrupted('stopped'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Interrupted('stopped'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function emptyReport(interrupted?: string): DeliveryReport {
  return { posted: [], dropped: [], unreachable: [], ...(interrupted ? { interrupted } : {}) };
}

/**
 * SUMMARY_CHAT_IDS on start: a chat seen for the first time is subscribed with the articles
 * indexed now counted as delivered (no flood of past digests, no welcome post); one that was
 * unsubscribed (by /unsubscribe, a 403) stays so, with a log line saying how to bring it back.
 */
export async function syncConfiguredChats(
  store: SubscriptionStore,
  chats: readonly { chatId: number; language: 'zh' | 'en' }[],
  index: ForumIndex,
  log: (line: string) => void,
): Promise<void> {
  for (const chat of chats) {
    const known = await store.get(chat.chatId);
    if (!known) {
      await store.subscribe({ chatId: chat.chatId, source: 'config', language: chat.language, since: new Date().toISOString() }, baselineOf(index.corpus.documents.values()));
      log(`Summaries: chat ${chat.chatId} (SUMMARY_CHAT_IDS) subscribed; it gets digests of articles indexed from now on.`);
    } else if (!known.active) {
      const why = known.ended ? `${known.ended.reason} on ${known.ended.at}${known.ended.detail ? `: ${known.ended.detail}` : ''}` : 'unsubscribed';
      log(`Summaries: chat ${chat.chatId} is in SUMMARY_CHAT_IDS but unsubscribed (${why}); send /subscribe there to resume, or remove it from SUMMARY_CHAT_IDS.`);
    }
  }
}
