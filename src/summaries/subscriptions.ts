/**
 * Who receives forum digests, and which article versions each chat already has.
 *
 * A chat's record says whether it is subscribed (and how: /subscribe, SUMMARY_CHAT_IDS, a private
 * chat), and why it stopped (unsubscribed, blocked the bot, removed). Delivery state is kept per
 * (chat, article content hash): `delivered` once Telegram confirmed every part of the digest, and
 * `pending` while a multi-part digest is part-way (the parts themselves are kept, so a restart
 * sends exactly the remaining ones, even if a new rendering would differ).
 *
 * Two stores: a JSON file written atomically (temp file, fsync, rename; one writer: the bot), and
 * Redis (REDIS_URL, redis-subscriptions.ts) where each change is atomic.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { RedisConnection } from '../redis.js';
import { RedisSubscriptionStore } from './redis-subscriptions.js';

export type SubscriptionSource = 'command' | 'config' | 'private';
export type EndReason = 'unsubscribed' | 'blocked' | 'removed';

export interface ChatSubscription {
  chatId: number;
  active: boolean;
  source: SubscriptionSource;
  /** Language of the digests' headings and notices. */
  language: 'zh' | 'en';
  /** ISO time of the (last) subscription. */
  since: string;
  title?: string;
  /** Who subscribed it (a user id; absent for channels and SUMMARY_CHAT_IDS). */
  by?: number;
  /** A forum topic of a supergroup the digests go to. */
  threadId?: number;
  /** Why and when it stopped, while inactive. */
  ended?: { reason: EndReason; at: string; detail?: string };
}

/** One article version posted to one chat, confirmed by Telegram. */
export interface DeliveryRecord {
  docId: string;
  at: string;
  messageIds: number[];
}

/** A digest part-way: parts[0..sent) are confirmed. */
export interface PendingDelivery {
  docId: string;
  parts: string[];
  sent: number;
  /** One per confirmed part; 0 for a part Telegram took without its reply reaching the bot. */
  messageIds: number[];
  /**
   * Recorded before a part is sent, cleared once Telegram answered: found after a crash, the
   * part may have been posted without the bot learning it (it is sent again, logged as such).
   */
  sending?: { part: number; at: string };
}

export interface BaselineDocument {
  docId: string;
  contentHash: string;
}

export interface SubscriptionStore {
  /** Where it keeps its data, for log lines (never credentials). */
  readonly where: string;
  list(): Promise<ChatSubscription[]>;
  get(chatId: number): Promise<ChatSubscription | undefined>;
  /**
   * Activates the chat (creating or reviving its record). Its delivered set is replaced by the
   * baseline: articles already indexed count as delivered, so only later ones are pushed.
   */
  subscribe(subscription: Omit<ChatSubscription, 'active' | 'ended'>, baseline: readonly BaselineDocument[]): Promise<void>;
  /** Deactivates the chat and forgets its delivery state; false when it was not subscribed. */
  end(chatId: number, reason: EndReason, detail?: string): Promise<boolean>;
  /** A group that became a supergroup: the record and its state move to the new id. */
  migrate(fromChatId: number, toChatId: number): Promise<void>;
  delivered(chatId: number): Promise<Map<string, DeliveryRecord>>;
  pending(chatId: number): Promise<Map<string, PendingDelivery>>;
  /** Durably records progress of a digest, and the part about to be sent (only for an active chat). */
  savePending(chatId: number, contentHash: string, pending: PendingDelivery): Promise<void>;
  /** Durably records a confirmed delivery and drops its pending state (only for an active chat). */
  markDelivered(chatId: number, contentHash: string, record: DeliveryRecord): Promise<void>;
  /** Calls `listener` when the store is reachable again after an outage (Redis; a file never goes away). */
  onReturn?(listener: () => void): void;
  close(): Promise<void>;
}

export function baselineOf(documents: Iterable<{ id: string; contentHash: string }>): BaselineDocument[] {
  return [...documents].map((document) => ({ docId: document.id, contentHash: document.contentHash }));
}

// ---------------------------------------------------------------------------
// The file store
// ---------------------------------------------------------------------------

const FILE_VERSION = 1;

interface ChatState {
  subscription: ChatSubscription;
  delivered: Record<string, DeliveryRecord>;
  pending: Record<string, PendingDelivery>;
}

interface FileData {
  version: number;
  chats: Record<string, ChatState>;
}

/**
 * Every change rewrites the whole file: written to a temp file beside it, fsynced, renamed over
 * it (atomic on POSIX), then the folder fsynced, so a crash leaves the old file or the new one,
 * never half of one. Changes are serialized in this process; the bot is the only writer.
 */
export class FileSubscriptionStore implements SubscriptionStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private data: FileData,
  ) {}

  get where(): string {
    return this.file;
  }

  static async open(file: string): Promise<FileSubscriptionStore> {
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ConfigError(`Cannot read the subscriptions file ${file}: ${(error as Error).message}`);
      }
    }
    if (text === undefined) return new FileSubscriptionStore(file, { version: FILE_VERSION, chats: {} });
    let data: FileData;
    try {
      data = JSON.parse(text) as FileData;
    } catch {
      throw new ConfigError(
        `The subscriptions file ${file} is not valid JSON (edited by hand?). Fix it, or move it away to start with no subscriptions (chats would then have to /subscribe again).`,
      );
    }
    if (data.version !== FILE_VERSION || typeof data.chats !== 'object' || data.chats === null) {
      throw new ConfigError(`The subscriptions file ${file} has an unknown format (version ${String(data.version)}, expected ${FILE_VERSION}).`);
    }
    return new FileSubscriptionStore(file, data);
  }

  async list(): Promise<ChatSubscription[]> {
    await this.queue;
    return Object.values(this.data.chats).map((state) => ({ ...state.subscription }));
  }

  async get(chatId: number): Promise<ChatSubscription | undefined> {
    await this.queue;
    const state = this.data.chats[String(chatId)];
    return state ? { ...state.subscription } : undefined;
  }

  subscribe(subscription: Omit<ChatSubscription, 'active' | 'ended'>, baseline: readonly BaselineDocument[]): Promise<void> {
    return this.change((data) => {
      const at = subscription.since;
      data.chats[String(subscription.chatId)] = {
        subscription: { ...subscription, active: true },
        delivered: Object.fromEntries(baseline.map((document) => [document.contentHash, { docId: document.docId, at, messageIds: [] }])),
        pending: {},
      };
    });
  }

  end(chatId: number, reason: EndReason, detail?: string): Promise<boolean> {
    return this.change((data) => {
      const state = data.chats[String(chatId)];
      if (!state?.subscription.active) return false;
      data.chats[String(chatId)] = {
        subscription: { ...state.subscription, active: false, ended: { reason, at: new Date().toISOString(), ...(detail ? { detail } : {}) } },
        delivered: {},
        pending: {},
      };
      return true;
    });
  }

  migrate(fromChatId: number, toChatId: number): Promise<void> {
    return this.change((data) => {
      const state = data.chats[String(fromChatId)];
      if (!state) return;
      delete data.chats[String(fromChatId)];
      data.chats[String(toChatId)] = { ...state, subscription: { ...state.subscription, chatId: toChatId } };
    });
  }

  async delivered(chatId: number): Promise<Map<string, DeliveryRecord>> {
    await this.queue;
    return new Map(Object.entries(this.data.chats[String(chatId)]?.delivered ?? {}));
  }

  async pending(chatId: number): Promise<Map<string, PendingDelivery>> {
    await this.queue;
    return new Map(Object.entries(this.data.chats[String(chatId)]?.pending ?? {}));
  }

  savePending(chatId: number, contentHash: string, pending: PendingDelivery): Promise<void> {
    return this.change((data) => {
      const state = data.chats[String(chatId)];
      if (state?.subscription.active) state.pending[contentHash] = pending;
    });
  }

  markDelivered(chatId: number, contentHash: string, record: DeliveryRecord): Promise<void> {
    return this.change((data) => {
      const state = data.chats[String(chatId)];
      if (!state?.subscription.active) return;
      state.delivered[contentHash] = record;
      delete state.pending[contentHash];
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  /** Applies a change to a copy, writes the copy, and only then makes it current. */
  private change<T>(apply: (data: FileData) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const next = structuredClone(this.data);
      const result = apply(next);
      await writeAtomically(this.file, `${JSON.stringify(next, null, 1)}\n`);
      this.data = next;
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const directory = path.dirname(file);
  await mkdir(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(file)}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`);
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // The rename itself survives a power cut only once the folder is synced (not possible everywhere).
  const folder = await open(directory, 'r').catch(() => undefined);
  await folder?.sync().catch(() => undefined);
  await folder?.close();
}

/**
 * Redis when REDIS_URL is set (sharing the sessions' connection when there is one), else the file.
 * Redis being away fails each call quickly (RedisUnavailableError); the connection logs when it
 * goes and when it returns, without the URL (it may hold a password).
 */
export async function openSubscriptionStore(
  settings: { file: string; redisUrl?: string; redisCommandTimeoutMs?: number },
  log: (line: string) => void,
  shared?: RedisConnection,
): Promise<SubscriptionStore> {
  if (!settings.redisUrl) return FileSubscriptionStore.open(settings.file);
  if (shared) return new RedisSubscriptionStore(shared);
  const connection = new RedisConnection(settings.redisUrl, {
    log,
    commandTimeoutMs: settings.redisCommandTimeoutMs,
    meanwhile: 'digests, /subscribe and /unsubscribe wait until it is back.',
  });
  return new RedisSubscriptionStore(connection, { ownsConnection: true });
}
