/**
 * Questions per user per fixed window, counted in memory or in Redis (so limits hold across
 * restarts and replicas). Each hit tells how many questions the user has asked in the current
 * window and when it ends, so the one notice per window can say when they may ask again.
 */
import type { RedisConnection } from '../redis.js';

export interface WindowCount {
  /** Questions in the current window, this one included. */
  count: number;
  /** Until the window ends and the count starts over. */
  resetInMs: number;
}

export interface QuestionCounter {
  hit(user: string): Promise<WindowCount>;
}

// Forgotten windows are swept once this many users are tracked, so the map stays small.
const SWEEP_AT = 10_000;

export function memoryCounter(windowMs: number, now: () => number = Date.now): QuestionCounter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return {
    async hit(user) {
      const at = now();
      if (windows.size >= SWEEP_AT) for (const [key, window] of windows) if (window.endsAt <= at) windows.delete(key);
      let window = windows.get(user);
      if (!window || window.endsAt <= at) windows.set(user, (window = { count: 0, endsAt: at + windowMs }));
      window.count++;
      return { count: window.count, resetInMs: window.endsAt - at };
    },
  };
}

// One round trip, atomic: a counter that was incremented always expires (also one left without an expiry by an older version).
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** Fails with RedisUnavailableError while Redis is away (the caller then does not limit). */
export function redisCounter(connection: RedisConnection, windowMs: number, prefix = 'forum-bot:questions:'): QuestionCounter {
  return {
    async hit(user) {
      const [count, resetInMs] = (await connection.run((redis) => redis.eval(HIT, 1, `${prefix}${user}`, String(windowMs)))) as [number, number];
      return { count, resetInMs };
    },
  };
}
