/** Per-index tables still built on first use (being moved to ingest). */
/** `build(key)`, computed once per key object and kept as long as the key lives. */
export function cachedPer<K extends object, T>(build: (key: K) => T): (key: K) => T {
  const cache = new WeakMap<K, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key)!;
    const value = build(key);
    cache.set(key, value);
    return value;
  };
}
