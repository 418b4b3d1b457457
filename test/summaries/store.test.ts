import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSubscriptionStore, openSubscriptionStore, type SubscriptionStore } from '../../src/summaries/subscriptions.js';
import { temporaryDirectory } from '../support/seed-index.js';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BASELINE = [
  { docId: 'a', contentHash: 'hash-a' },
  { docId: 'b', contentHash: 'hash-b' },
];
const subscription = (chatId: number) => ({ chatId, source: 'command' as const, language: 'zh' as const, since: '2026-01-01T00:00:00.000Z', title: 'Group <&>' });

interface Backend {
  name: string;
  /** A store over the same data each time (a "restart"). */
  open(): Promise<SubscriptionStore>;
}

async function fileBackend(): Promise<Backend & { file: string }> {
  const { dir, remove } = await temporaryDirectory('subscriptions-');
  cleanups.push(remove);
  const file = path.join(dir, 'nested', 'subscriptions.json');
  return { name: 'file', file, open: () => openSubscriptionStore({ file }, () => undefined) };
}

async function redisBackend(): Promise<Backend & { redis: RedisServer }> {
  const redis = await startRedisServer();
  cleanups.push(() => redis.close());
  return {
    name: 'redis',
    redis,
    open: async () => {
      const store = await openSubscriptionStore({ file: '/nonexistent/unused.json', redisUrl: redis.url }, () => undefined);
      cleanups.push(() => store.close());
      return store;
    },
  };
}

describe.each([
  ['file', fileBackend],
  ['redis', redisBackend],
] as const)('the %s subscription store', (_name, backend) => {
  it('keeps subscriptions, baselines and deliveries across a restart', async () => {
    const where = await backend();
    const store = await where.open();
    await store.subscribe(subscription(-100), BASELINE);
    await store.subscribe({ ...subscription(42), source: 'private', by: 42 }, []);
    await store.markDelivered(-100, 'hash-c', { docId: 'c', at: '2026-02-01T00:00:00.000Z', messageIds: [7] });
    await store.savePending(42, 'hash-c', { docId: 'c', parts: ['<b>1</b>', '2'], sent: 1, messageIds: [9] });
    await store.close();

    const again = await where.open();
    expect((await again.list()).map((chat) => [chat.chatId, chat.active, chat.source]).sort()).toEqual([
      [-100, true, 'command'],
      [42, true, 'private'],
    ]);
    expect((await again.get(-100))!.title).toBe('Group <&>');
    expect([...(await again.delivered(-100)).keys()].sort()).toEqual(['hash-a', 'hash-b', 'hash-c']);
    expect((await again.delivered(-100)).get('hash-c')).toEqual({ docId: 'c', at: '2026-02-01T00:00:00.000Z', messageIds: [7] });
    expect((await again.pending(42)).get('hash-c')).toEqual({ docId: 'c', parts: ['<b>1</b>', '2'], sent: 1, messageIds: [9] });

    // Delivering drops the pending state.
    await again.markDelivered(42, 'hash-c', { docId: 'c', at: 'x', messageIds: [9, 10] });
    expect((await again.pending(42)).size).toBe(0);
    expect((await again.delivered(42)).get('hash-c')!.messageIds).toEqual([9, 10]);
  });

  it('ends a subscription (forgetting its state), ignores late records for it, and revives it with a fresh baseline', async () => {
    const store = await (await backend()).open();
    await store.subscribe(subscription(-200), BASELINE);
    expect(await store.end(-200, 'blocked', '403: Forbidden: bot was blocked by the user')).toBe(true);
    expect(await store.end(-200, 'unsubscribed')).toBe(false);
    expect(await store.end(-999, 'unsubscribed')).toBe(false);
    const ended = (await store.get(-200))!;
    expect(ended.active).toBe(false);
    expect(ended.ended).toMatchObject({ reason: 'blocked', detail: '403: Forbidden: bot was blocked by the user' });
    expect((await store.delivered(-200)).size).toBe(0);

    // A delivery that finishes after the chat left records nothing.
    await store.markDelivered(-200, 'hash-z', { docId: 'z', at: 'x', messageIds: [1] });
    await store.savePending(-200, 'hash-y', { docId: 'y', parts: ['a', 'b'], sent: 1, messageIds: [1] });
    expect((await store.delivered(-200)).size).toBe(0);
    expect((await store.pending(-200)).size).toBe(0);

    await store.subscribe(subscription(-200), [BASELINE[0]!]);
    const revived = (await store.get(-200))!;
    expect(revived.active).toBe(true);
    expect(revived.ended).toBeUndefined();
    expect([...(await store.delivered(-200)).keys()]).toEqual(['hash-a']);
  });

  it('moves a group that became a supergroup, with its state', async () => {
    const store = await (await backend()).open();
    await store.subscribe(subscription(-300), BASELINE);
    await store.migrate(-300, -1000300);
    expect(await store.get(-300)).toBeUndefined();
    expect((await store.get(-1000300))!.chatId).toBe(-1000300);
    expect((await store.delivered(-1000300)).size).toBe(2);
  });
});

describe('the file store on disk', () => {
  it('writes atomically: a valid file after every change, no temp files left, concurrent changes all kept', async () => {
    const { file, open } = await fileBackend();
    const store = await open();
    await store.subscribe(subscription(-1), []);
    const writes = Array.from({ length: 40 }, (_, i) => store.markDelivered(-1, `hash-${i}`, { docId: `d${i}`, at: 'x', messageIds: [i] }));
    // Every state the file passes through parses: readers never see half a file.
    let reads = 0;
    const reader = (async () => {
      while (reads < 40) {
        JSON.parse(await readFile(file, 'utf8'));
        reads++;
      }
    })();
    await Promise.all([...writes, reader]);
    const restarted = await FileSubscriptionStore.open(file);
    expect((await restarted.delivered(-1)).size).toBe(40);
    expect(await readdir(path.dirname(file))).toEqual(['subscriptions.json']);
  });

  it('ignores a temp file left by a crash mid-write; refuses a damaged file with a clear message', async () => {
    const { file, open } = await fileBackend();
    const store = await open();
    await store.subscribe(subscription(-1), BASELINE);
    await writeFile(path.join(path.dirname(file), '.subscriptions.json.123.abcd.tmp'), '{"version":1,"chats":{"-1": {"subsc');
    expect((await (await open()).get(-1))!.active).toBe(true);

    await writeFile(file, '{"version":1,"chats":{');
    await expect(open()).rejects.toThrow(/subscriptions file .* is not valid JSON/);
  });

  it('a failed write changes nothing in memory or on disk', async () => {
    const { dir, remove } = await temporaryDirectory('subscriptions-');
    cleanups.push(remove);
    const store = await FileSubscriptionStore.open(path.join(dir, 'folder', 'subscriptions.json'));
    await store.subscribe(subscription(-1), []);
    // The folder is replaced by a file: every write fails from now on.
    await rm(path.join(dir, 'folder'), { recursive: true });
    await writeFile(path.join(dir, 'folder'), 'x');
    await expect(store.subscribe(subscription(-2), [])).rejects.toThrow();
    await expect(store.end(-1, 'unsubscribed')).rejects.toThrow();
    expect((await store.list()).map((chat) => [chat.chatId, chat.active])).toEqual([[-1, true]]);
    // Later changes still run (the queue is not stuck on the failure).
    await rm(path.join(dir, 'folder'));
    await store.markDelivered(-1, 'h', { docId: 'd', at: 'x', messageIds: [1] });
    expect((await (await FileSubscriptionStore.open(path.join(dir, 'folder', 'subscriptions.json'))).delivered(-1)).size).toBe(1);
  });
});

describe('the Redis store', () => {
  it('changes each chat in one MULTI/EXEC and never logs the URL', async () => {
    const { redis, open } = await redisBackend();
    // MONITOR on the real server shows every command the store sends. It is started once both
    // clients are connected: ioredis fails ("Command queue state error") when another client's
    // command (a ready-check INFO) reaches the monitor before its own MONITOR reply is read.
    const store = await open();
    await store.delivered(-5); // a round trip: the store's client is past its ready check
    const watcher = new Redis(redis.url);
    await watcher.ping();
    const monitor = await watcher.monitor();
    const names: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => names.push(String(args[0]).toUpperCase()));
    await store.subscribe(subscription(-5), BASELINE);
    await store.markDelivered(-5, 'hash-c', { docId: 'c', at: 'x', messageIds: [1] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    monitor.disconnect();
    watcher.disconnect();
    expect(names).toContain('MULTI');
    expect(names).toContain('EXEC');
    const reader = new Redis(redis.url);
    expect((await reader.keys('*')).sort()).toEqual(['forum-bot:summaries:chats', 'forum-bot:summaries:delivered:-5']);
    reader.disconnect();
    expect(store.where).toMatch(/^Redis at 127\.0\.0\.1:\d+$/);
  });
});
