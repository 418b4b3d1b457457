/**
 * The subscription store in Redis (REDIS_URL).
 *
 * Keys (prefix `forum-bot:summaries:` by default): `chats` (hash chatId → subscription JSON),
 * `delivered:<chatId>` and `pending:<chatId>` (hashes contentHash → record JSON). Nothing expires.
 *
 * Every change is atomic, readers never see half of it, and no change acts on a state that moved
 * under it: a change that only writes is one MULTI/EXEC; one that depends on the chat's record is a
 * Lua script that checks the record itself (recording a delivery only for a chat still subscribed)
 * or compares it with what the change was computed from and, when another change came first,
 * starts over. So an /unsubscribe while a digest is being posted cannot leave delivery state
 * behind, and a delivery recorded while a group moves to a supergroup is not lost.
 *
 * While Redis is away every call fails quickly with RedisUnavailableError (see src/redis.ts);
 * delivery stops and tries again later, nothing is recorded half.
 */
import type { Redis } from 'ioredis';
import type { RedisConnection } from '../redis.js';
import type { BaselineDocument, ChatSubscription, DeliveryRecord, EndReason, PendingDelivery, SubscriptionStore } from './subscriptions.js';

// KEYS: chats, the chat's hash to write; ARGV: chatId, contentHash, record JSON. 1 = written, 0 = the chat is not subscribed.
const WRITE_IF_SUBSCRIBED = `
local subscription = redis.call('HGET', KEYS[1], ARGV[1])
if not subscription or not cjson.decode(subscription).active then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
if KEYS[3] then redis.call('HDEL', KEYS[3], ARGV[2]) end
return 1`;

// KEYS: chats, delivered, pending; ARGV: chatId, the record the change was computed from, the new record. 0 = it changed meanwhile.
const END_IF_UNCHANGED = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('DEL', KEYS[2], KEYS[3])
return 1`;

// KEYS: chats, delivered:from, pending:from, delivered:to, pending:to; ARGV: from, to, record read, record moved.
const MIGRATE_IF_UNCHANGED = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[3] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
redis.call('DEL', KEYS[4], KEYS[5])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[4]) end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('RENAME', KEYS[3], KEYS[5]) end
return 1`;

/** A compare-and-set that keeps losing means something rewrites the record in a loop: say so rather than spin. */
const MAX_ATTEMPTS = 10;

export class RedisSubscriptionStore implements SubscriptionStore {
  readonly where: string;

  constructor(
    private readonly connection: RedisConnection,
    private readonly options: { prefix?: string; ownsConnection?: boolean } = {},
  ) {
    this.where = `Redis at ${connection.where}`;
  }

  private key(name: string): string {
    return `${this.options.prefix ?? 'forum-bot:summaries:'}${name}`;
  }

  private run<T>(command: (client: Redis) => Promise<T>): Promise<T> {
    return this.connection.run(command);
  }

  async list(): Promise<ChatSubscription[]> {
    const all = await this.run((redis) => redis.hgetall(this.key('chats')));
    return Object.values(all).map((json) => JSON.parse(json) as ChatSubscription);
  }

  async get(chatId: number): Promise<ChatSubscription | undefined> {
    const json = await this.record(chatId);
    return json ? (JSON.parse(json) as ChatSubscription) : undefined;
  }

  async subscribe(subscription: Omit<ChatSubscription, 'active' | 'ended'>, baseline: readonly BaselineDocument[]): Promise<void> {
    const id = String(subscription.chatId);
    const results = await this.run((redis) => {
      const transaction = redis
        .multi()
        .hset(this.key('chats'), id, JSON.stringify({ ...subscription, active: true }))
        .del(this.key(`delivered:${id}`), this.key(`pending:${id}`));
      if (baseline.length) {
        const record = (docId: string) => JSON.stringify({ docId, at: subscription.since, messageIds: [] } satisfies DeliveryRecord);
        transaction.hset(this.key(`delivered:${id}`), Object.fromEntries(baseline.map((document) => [document.contentHash, record(document.docId)])));
      }
      return transaction.exec();
    });
    // ioredis reports a failed command inside a transaction in its result, not by rejecting.
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0]!;
  }

  async end(chatId: number, reason: EndReason, detail?: string): Promise<boolean> {
    const id = String(chatId);
    return this.compareAndSet(chatId, async (json) => {
      const current = json ? (JSON.parse(json) as ChatSubscription) : undefined;
      if (!current?.active) return false;
      const ended: ChatSubscription = { ...current, active: false, ended: { reason, at: new Date().toISOString(), ...(detail ? { detail } : {}) } };
      const keys = [this.key('chats'), this.key(`delivered:${id}`), this.key(`pending:${id}`)];
      return (await this.run((redis) => redis.eval(END_IF_UNCHANGED, keys.length, ...keys, id, json!, JSON.stringify(ended)))) === 1 ? true : undefined;
    });
  }

  async migrate(fromChatId: number, toChatId: number): Promise<void> {
    const [from, to] = [String(fromChatId), String(toChatId)];
    await this.compareAndSet(fromChatId, async (json) => {
      if (!json) return false;
      const moved = JSON.stringify({ ...(JSON.parse(json) as ChatSubscription), chatId: toChatId });
      const keys = [this.key('chats'), this.key(`delivered:${from}`), this.key(`pending:${from}`), this.key(`delivered:${to}`), this.key(`pending:${to}`)];
      return (await this.run((redis) => redis.eval(MIGRATE_IF_UNCHANGED, keys.length, ...keys, from, to, json, moved))) === 1 ? true : undefined;
    });
  }

  async delivered(chatId: number): Promise<Map<string, DeliveryRecord>> {
    const all = await this.run((redis) => redis.hgetall(this.key(`delivered:${chatId}`)));
    return new Map(Object.entries(all).map(([hash, json]) => [hash, JSON.parse(json) as DeliveryRecord]));
  }

  async pending(chatId: number): Promise<Map<string, PendingDelivery>> {
    const all = await this.run((redis) => redis.hgetall(this.key(`pending:${chatId}`)));
    return new Map(Object.entries(all).map(([hash, json]) => [hash, JSON.parse(json) as PendingDelivery]));
  }

  async savePending(chatId: number, contentHash: string, pending: PendingDelivery): Promise<void> {
    const keys = [this.key('chats'), this.key(`pending:${chatId}`)];
    await this.run((redis) => redis.eval(WRITE_IF_SUBSCRIBED, keys.length, ...keys, String(chatId), contentHash, JSON.stringify(pending)));
  }

  async markDelivered(chatId: number, contentHash: string, record: DeliveryRecord): Promise<void> {
    const keys = [this.key('chats'), this.key(`delivered:${chatId}`), this.key(`pending:${chatId}`)];
    await this.run((redis) => redis.eval(WRITE_IF_SUBSCRIBED, keys.length, ...keys, String(chatId), contentHash, JSON.stringify(record)));
  }

  onReturn(listener: () => void): void {
    this.connection.onReturn(listener);
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await this.connection.close();
  }

  private async record(chatId: number): Promise<string | null> {
    return this.run((redis) => redis.hget(this.key('chats'), String(chatId)));
  }

  /**
   * Reads the chat's record and hands it to `change`, which returns its result, or undefined when
   * the record changed before its script ran (then it is read again and the change recomputed).
   */
  private async compareAndSet<T>(chatId: number, change: (json: string | null) => Promise<T | undefined>): Promise<T> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await change(await this.record(chatId));
      if (result !== undefined) return result;
    }
    throw new Error(`The subscription of chat ${chatId} kept changing during ${MAX_ATTEMPTS} attempts to update it.`);
  }
}
