/**
 * Finds which of a fixed list of strings occur in a text, as `text.includes(name)` for each
 * would, but by looking up the text's substrings of the lengths the names have: the cost
 * follows the text, not the list.
 */
export class NameFinder<T> {
  /** name → positions in `items` of the items with that name, ascending. */
  private readonly positions = new Map<string, number[]>();
  /** Distinct name lengths (UTF-16 units, as `includes` counts), shortest first. */
  private readonly lengths: number[];
  /** Items whose name is empty: `includes('')` is true of every text. */
  private readonly always: number[] = [];

  constructor(
    readonly items: readonly T[],
    nameOf: (item: T) => string,
  ) {
    items.forEach((item, position) => {
      const name = nameOf(item);
      if (name.length === 0) {
        this.always.push(position);
        return;
      }
      push(this.positions, name, position);
    });
    this.lengths = [...new Set([...this.positions.keys()].map((name) => name.length))].sort((a, b) => a - b);
  }

  /** The names that occur in `text`, each once (in no particular order). */
  namesIn(text: string): Set<string> {
    const found = new Set<string>();
    if (this.lengths.length === 0) return found;
    for (let start = 0; start < text.length; start++) {
      for (const length of this.lengths) {
        if (start + length > text.length) break;
        const candidate = text.slice(start, start + length);
        if (this.positions.has(candidate)) found.add(candidate);
      }
    }
    return found;
  }

  /** Exactly `items.filter((item) => text.includes(nameOf(item)))`: the same items in the same order. */
  in(text: string): T[] {
    return this.ofNames(this.namesIn(text));
  }

  /** The items with any of these names, in list order (as a filter on the list would give them). */
  ofNames(names: Iterable<string>): T[] {
    return this.positionsOf(names).map((position) => this.items[position]!);
  }

  /** The positions in `items` of the items with any of these (distinct) names, ascending. */
  positionsOf(names: Iterable<string>): number[] {
    const hits = [...this.always];
    let lists = this.always.length ? 1 : 0;
    for (const name of names) {
      const list = this.positions.get(name);
      if (!list) continue;
      for (const position of list) hits.push(position);
      lists++;
    }
    if (lists > 1) hits.sort((a, b) => a - b);
    return hits;
  }

  /** True when some item has exactly this name. */
  has(name: string): boolean {
    return this.positions.has(name) || (name.length === 0 && this.always.length > 0);
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
