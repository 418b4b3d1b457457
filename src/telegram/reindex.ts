/**
 * A rebuild as the bot's admins see it: the same build as `npm run ingest` (under the ingest lock),
 * the new index swapped in, which articles arrived, changed or left (by title), and which subscribed
 * chats then received the digests of the new ones.
 */
import type { BuildResult } from '../index/build.js';
import { articleChanges, type ArticleChanges } from '../index/changes.js';
import type { IndexHolder } from '../index/holder.js';
import type { SubscriptionStore } from '../summaries/subscriptions.js';
import type { SummaryDelivery } from './digests/deliver.js';

export interface SkippedFile {
  file: string;
  /** The loader's reason, without the file name. */
  reason: string;
}

export interface DigestChat {
  chatId: number;
  title?: string;
}

/** Where the digests of the new and changed articles went, once the delivery after the swap has ended. */
export interface DigestOutcome {
  /** By article id: the subscribed chats that have its digest. */
  received: ReadonlyMap<string, DigestChat[]>;
  /** By article id: subscribed chats that still lack it (blocked, no right to post, or the delivery stopped; retried later). */
  missing: ReadonlyMap<string, DigestChat[]>;
}

export interface ReindexOutcome {
  /** False when the index was already up to date. */
  changed: boolean;
  articles: number;
  changes: ArticleChanges;
  skipped: SkippedFile[];
  /** Present when the bot posts digests and articles were added or changed. */
  digests?: Promise<DigestOutcome>;
}

export interface DigestSender {
  delivery: SummaryDelivery;
  store: SubscriptionStore;
}

export interface ReindexOptions {
  /** Builds the index from the seeds (buildConfiguredIndex). */
  build: () => Promise<BuildResult>;
  holder: IndexHolder;
  /** The digest sender, once the bot posts digests (undefined before that, or when it does not). */
  digests?: () => DigestSender | undefined;
}

/** The rebuild the bot runs for /reindex and for an uploaded article. */
export function reindexService(options: ReindexOptions): () => Promise<ReindexOutcome> {
  return async () => {
    const before = options.holder.current.corpus.documents;
    const built = await options.build();
    const { swapped } = await options.holder.reload();
    const after = options.holder.current.corpus.documents;
    const changes = articleChanges(before, after);
    const fresh = [...changes.added, ...changes.updated].map((article) => article.id);
    const sender = options.digests?.();
    return {
      changed: swapped || !built.unchanged,
      articles: after.size,
      changes,
      skipped: built.problems.map((problem) => ({ file: problem.file, reason: reasonOf(problem) })),
      ...(sender && fresh.length ? { digests: digestsOf(fresh, after, sender) } : {}),
    };
  };
}

function reasonOf(problem: { file: string; message: string }): string {
  const prefix = `${problem.file}: `;
  return problem.message.startsWith(prefix) ? problem.message.slice(prefix.length) : problem.message;
}

/**
 * The swap has started a delivery; triggering joins it (or runs once more after it), so when this
 * resolves every digest pending now was posted or failed. The store, not the run's report, says
 * who has which article: it also knows what a run started by someone else posted.
 */
async function digestsOf(
  articleIds: readonly string[],
  documents: ReadonlyMap<string, { contentHash: string }>,
  { delivery, store }: DigestSender,
): Promise<DigestOutcome> {
  await delivery.trigger('a reindex');
  const received = new Map<string, DigestChat[]>(articleIds.map((id) => [id, []]));
  const missing = new Map<string, DigestChat[]>(articleIds.map((id) => [id, []]));
  for (const chat of (await store.list()).filter((subscription) => subscription.active)) {
    const delivered = await store.delivered(chat.chatId);
    const entry: DigestChat = { chatId: chat.chatId, ...(chat.title ? { title: chat.title } : {}) };
    for (const id of articleIds) {
      const hash = documents.get(id)?.contentHash;
      (hash && delivered.has(hash) ? received : missing).get(id)!.push(entry);
    }
  }
  return { received, missing };
}

/**
 * One rebuild at a time for /reindex and uploads (two at once would meet at the ingest lock and one
 * would fail). A second /reindex is told to wait; an upload queues, and saves its file inside its
 * turn, so no other rebuild indexes it first and leaves its own rebuild nothing to report.
 */
export class RebuildQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(readonly rebuild: () => Promise<ReindexOutcome>) {}

  get busy(): boolean {
    return this.waiting > 0;
  }

  /** Runs `work` when the rebuilds before it have ended, alone. */
  exclusive<T>(work: (rebuild: () => Promise<ReindexOutcome>) => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(() => work(this.rebuild));
    this.tail = result.then(
      () => void this.waiting--,
      () => void this.waiting--,
    );
    return result;
  }
}
