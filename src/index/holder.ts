import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '../errors.js';
import type { ForumIndex } from './forum-index.js';
import { MANIFEST_FILE, readManifest, type Manifest } from './manifest.js';

export interface IndexHolderOptions {
  directory: string;
  /** Loads and verifies the index in a directory (loadConfiguredIndex in the app). */
  load: (directory: string) => Promise<ForumIndex>;
  log?: (line: string) => void;
  /** How often the manifest is stat'ed in case fs.watch misses a change (network/overlay filesystems); 0 = never. */
  pollMs?: number;
  /** A burst of file events becomes one reload. */
  debounceMs?: number;
  /** Called after a new index is swapped in (by reload() or the watcher), e.g. to deliver summaries of new articles. */
  onSwap?: (index: ForumIndex) => void;
  /**
   * How long a swapped-out index keeps answering before it is closed (its vector search thread
   * ended, once no search is in flight). A question reads `current` once and may search it
   * after an LLM rewrite of the question, seconds later; 0 closes at once.
   */
  retireMs?: number;
}

/** Longer than a question takes, LLM calls included (OPENAI_TIMEOUT_MS is 30 s a call by default). */
const RETIRE_MS = 120_000;

export interface ReloadResult {
  swapped: boolean;
  index: ForumIndex;
}

/**
 * The index the bot answers from, swapped atomically for a new one: the new manifest is read,
 * every file verified and the whole index loaded before `current` changes, so answers never see
 * a half-built index and a corrupt one is refused while the old keeps serving.
 */
export class IndexHolder {
  private index: ForumIndex;
  private swaps = 0;
  private running: Promise<ReloadResult> | undefined;
  private again = false;
  private watcher: FSWatcher | undefined;
  private poller: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private lastStat = '';
  /** Swapped-out indexes waiting to be closed. */
  private readonly retiring = new Map<ForumIndex, NodeJS.Timeout>();

  private constructor(
    private readonly options: IndexHolderOptions,
    initial: ForumIndex,
  ) {
    this.index = initial;
  }

  /** Holds `initial` when given (e.g. from openIndex), else loads the directory's index. */
  static async open(options: IndexHolderOptions, initial?: ForumIndex): Promise<IndexHolder> {
    return new IndexHolder(options, initial ?? (await options.load(options.directory)));
  }

  get current(): ForumIndex {
    return this.index;
  }

  /** How many times a new index was swapped in. */
  get generation(): number {
    return this.swaps;
  }

  /**
   * Loads the directory's index if its manifest differs from the current one, and swaps it in.
   * Concurrent calls share one load (plus one more if a change came in meanwhile). Throws (and
   * keeps the current index) when the new index cannot be read or verified.
   */
  reload(): Promise<ReloadResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<ReloadResult> => {
      try {
        let swapped = false;
        for (;;) {
          this.again = false;
          try {
            swapped = (await this.loadIfChanged()) || swapped;
            if (!this.again) return { swapped, index: this.index };
          } catch (error) {
            if (!this.again) throw error; // a newer manifest arrived meanwhile: try that one instead
          }
        }
      } finally {
        this.running = undefined;
      }
    };
    this.running = run();
    return this.running;
  }

  /** Reloads by itself when `npm run ingest` writes a new manifest: fs.watch, with polling as a safety net. */
  watch(): this {
    const { directory, pollMs = 5000 } = this.options;
    try {
      this.watcher = watch(directory, (_event, file) => {
        if (!file || file.toString() === MANIFEST_FILE) this.scheduleReload();
      });
      this.watcher.on('error', () => this.watcher?.close());
      this.watcher.unref();
    } catch (error) {
      this.options.log?.(`Not watching ${directory} (${describeError(error)}); polling for index changes instead.`);
    }
    if (pollMs > 0) {
      void this.manifestStat().then((seen) => (this.lastStat = seen));
      this.poller = setInterval(() => {
        void this.manifestStat().then((seen) => {
          if (seen === this.lastStat) return;
          this.lastStat = seen;
          this.scheduleReload();
        });
      }, pollMs);
      this.poller.unref();
    }
    return this;
  }

  /** Stops watching, and closes the swapped-out indexes now (each once its searches in flight have answered). */
  close(): void {
    this.watcher?.close();
    clearInterval(this.poller);
    clearTimeout(this.debounce);
    for (const [index, timer] of this.retiring) {
      clearTimeout(timer);
      this.closeRetired(index);
    }
  }

  /** `index` was swapped out: close it once questions that already hold it are done with it. */
  private retire(index: ForumIndex): void {
    const timer = setTimeout(() => this.closeRetired(index), this.options.retireMs ?? RETIRE_MS);
    timer.unref();
    this.retiring.set(index, timer);
  }

  private closeRetired(index: ForumIndex): void {
    this.retiring.delete(index);
    Promise.resolve()
      .then(() => index.close())
      .catch((error: unknown) => this.options.log?.(`Closing the previous index: ${describeError(error)}`));
  }

  private scheduleReload(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.reload().catch((error: unknown) => {
        this.options.log?.(`A new index appeared in ${this.options.directory} but could not be loaded; still serving the previous one. ${describeError(error)}`);
      });
    }, this.options.debounceMs ?? 250);
    this.debounce.unref();
  }

  /** True when a new index was swapped in. */
  private async loadIfChanged(): Promise<boolean> {
    const manifest = await readManifest(this.options.directory);
    if (!manifest || sameIndex(manifest, this.index.manifest)) return false;
    const next = await this.options.load(this.options.directory);
    const previous = this.index;
    this.index = next; // one assignment: a question reads either the old index or the new one, whole
    this.swaps++;
    this.retire(previous);
    this.options.log?.(`Index reloaded: ${next.corpus.documents.size} articles, ${next.corpus.chunks.length} chunks (${next.manifest.embedder.id}, built ${next.manifest.createdAt}).`);
    try {
      this.options.onSwap?.(next);
    } catch (error) {
      this.options.log?.(`After the index swap: ${describeError(error)}`);
    }
    return true;
  }

  private async manifestStat(): Promise<string> {
    try {
      const info = await stat(path.join(this.options.directory, MANIFEST_FILE));
      return `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }
}

function sameIndex(a: Manifest, b: Manifest): boolean {
  return a.createdAt === b.createdAt && (['hnsw', 'store', 'keywords', 'vectors'] as const).every((key) => a.files[key].sha256 === b.files[key].sha256);
}
