/**
 * The Redis subscription store under concurrent changes and with Redis away, against the real
 * redis-server. Changes are started together without awaiting, so their commands interleave on
 * the one connection exactly as a delivery and an /unsubscribe (or a group's migration) would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RedisUnavailableError } from '../../src/redis.js';
import { openSubscriptionStore, type SubscriptionStore } from '../../src/summaries/subscriptions.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const subscription = (chatId: number) => ({ chatId, source: 'command' as const, language: 'zh' as const, since: '2026-01-01T00:00:00.000Z' });
const PENDING = { docId: 'c', parts: ['one', 'two'], sent: 1, messageIds: [5] };
const DELIVERED = { docId: 'd', at: '2026-02-01T00:00:00.000Z', messageIds: [6, 7] };

async function open(options: { commandTimeoutMs?: number } = {}): Promise<{ store: SubscriptionStore; server: RedisServer; logs: string[] }> {
  const server = await startRedisServer();
  cleanups.push(() => server.close());
  const logs: string[] = [];
  const store = await openSubscriptionStore({ file: '/nonexistent/unused.json', redisUrl: server.url, redisCommandTimeoutMs: options.commandTimeoutMs }, (line) => void logs.push(line));
  cleanups.push(() => store.close());
  return { store, server, logs };
}

describe('the Redis subscription store, changed concurrently', () => {
  it('leaves no delivery state behind when /unsubscribe comes while a digest is being recorded', async () => {
    const { store } = await open();
    await store.subscribe(subscription(-300), []);
    const [ended] = await Promise.all([
      store.end(-300, 'unsubscribed'),
      store.savePending(-300, 'hash-c', PENDING),
      store.markDelivered(-300, 'hash-d', DELIVERED),
    ]);
    expect(ended).toBe(true);
    expect((await store.get(-300))!.active).toBe(false);
    // Ended means forgotten: a record written after the end would come back with a later /subscribe's state.
    expect([...(await store.pending(-300)).keys()]).toEqual([]);
    expect([...(await store.delivered(-300)).keys()]).toEqual([]);
  });

  it('ends a chat once when two ends race (one says it was subscribed, the other that it was not)', async () => {
    const { store } = await open();
    await store.subscribe(subscription(-301), []);
    expect((await Promise.all([store.end(-301, 'blocked', '403'), store.end(-301, 'unsubscribed')])).sort()).toEqual([false, true]);
    expect((await store.get(-301))!.ended).toMatchObject({ reason: 'blocked', detail: '403' });
  });

  it('keeps a delivery recorded while the group moves to a supergroup', async () => {
    const { store } = await open();
    await store.subscribe(subscription(-302), [{ docId: 'a', contentHash: 'hash-a' }]);
    await Promise.all([store.migrate(-302, -100302), store.markDelivered(-302, 'hash-d', DELIVERED)]);
    expect(await store.get(-302)).toBeUndefined();
    expect((await store.get(-100302))!.active).toBe(true);
    expect([...(await store.delivered(-100302)).keys()].sort()).toEqual(['hash-a', 'hash-d']);
    expect((await store.delivered(-302)).size).toBe(0);
  });
});

describe('the Redis subscription store with Redis away', () => {
  it('fails fast while Redis is down, says so once, and works again (telling its listener) once Redis is back', async () => {
    const { store, server, logs } = await open({ commandTimeoutMs: 300 });
    await store.subscribe(subscription(-303), []);
    let returned = 0;
    store.onReturn!(() => returned++);

    await server.kill();
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = Date.now();
      await expect(store.list()).rejects.toBeInstanceOf(RedisUnavailableError);
      expect(Date.now() - started).toBeLessThan(1000);
    }
    await expect(store.markDelivered(-303, 'hash-d', DELIVERED)).rejects.toThrow(/Redis at 127\.0\.0\.1:\d+ is unavailable/);
    expect(logs.filter((line) => /is unreachable/.test(line))).toHaveLength(1);
    expect(logs[0]).toMatch(/digests, \/subscribe and \/unsubscribe wait until it is back/);

    await server.restart();
    await expect.poll(() => returned, { timeout: 5000 }).toBe(1);
    expect(await store.list()).toEqual([]); // a fresh server: nothing was half-written
    expect(logs.filter((line) => /is back after/.test(line))).toHaveLength(1);
  });

  it('opened while Redis hangs, knows it within the connect timeout instead of reporting no subscriptions', async () => {
    const server = await startRedisServer();
    cleanups.push(() => server.close());
    const before = await openSubscriptionStore({ file: '/nonexistent/unused.json', redisUrl: server.url }, () => undefined);
    await before.subscribe(subscription(-304), []);
    await before.close();

    server.pause();
    const logs: string[] = [];
    const started = Date.now();
    const store = await openSubscriptionStore({ file: '/nonexistent/unused.json', redisUrl: server.url, redisCommandTimeoutMs: 300 }, (line) => void logs.push(line));
    cleanups.push(() => store.close());
    await expect(store.list()).rejects.toBeInstanceOf(RedisUnavailableError);
    // Bounded, not a speed target: without the timeout it waits for Redis indefinitely; 2 s was
    // missed by 80 ms on a loaded machine.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/is unreachable \(no reply within 300 ms\)/);

    server.resume();
    await expect.poll(() => logs.some((line) => /is back after/.test(line)), { timeout: 5000 }).toBe(true);
    expect((await store.list()).map((chat) => chat.chatId)).toEqual([-304]);
  });
});
