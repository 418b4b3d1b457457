import type { Worker } from 'node:worker_threads';
import { IndexError } from '../errors.js';
import { startModuleThread } from './module-thread.js';
import type { RequestOf, VectorCall, VectorCalls, VectorHits, VectorReply } from './vector-protocol.js';

/**
 * The HNSW graph of one loaded index, owned by a worker thread. A search posts the query vector
 * and resolves with the worker's answer, so the caller can run BM25 on the main thread while
 * hnswlib searches: hybrid retrieval costs about max(BM25, HNSW) instead of their sum. The graph
 * lives only in the worker.
 *
 * The worker is unref'd while idle (it never keeps the process alive) and ref'd while a request
 * is in flight (an awaited search must not be dropped by the process exiting under it). A
 * worker that fails or exits rejects every request in flight and every later one with an
 * IndexError; it is not respawned (a new index, or a restart, brings a new one). The thread's
 * code is vector-worker-thread.ts; the messages both sides exchange are typed in vector-protocol.ts.
 */
interface Pending {
  resolve: (result: VectorCalls[VectorCall]['result']) => void;
  reject: (error: Error) => void;
}

export class VectorWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set once no more requests are accepted: the reason every later request is refused with. */
  private refusal: IndexError | undefined;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private readonly exited: Promise<void>;
  private ending = false;

  /** Starts the thread (it loads nothing until load()). `directory` names the index in errors. */
  constructor(private readonly directory: string) {
    try {
      this.worker = startModuleThread(new URL('./vector-worker-thread.js', import.meta.url));
    } catch (error) {
      throw new IndexError(`Cannot start the vector search thread for ${directory}.`, { cause: error });
    }
    this.worker.unref();
    this.worker.on('message', (reply: VectorReply) => this.answer(reply));
    this.worker.on('error', (error) => this.fail(`failed: ${error.message}`, error));
    this.worker.on('messageerror', (error) => this.fail(`sent a reply that cannot be read: ${error.message}`, error));
    this.exited = new Promise((resolve) => {
      this.worker.on('exit', (code) => {
        this.fail(`exited (code ${code})`);
        resolve();
      });
    });
  }

  /**
   * hnswlib reads the graph file in the worker and gets `ef`; resolves with the number of
   * vectors read. Only ever call with a file whose checksum was verified: a damaged body can
   * crash hnswlib, and with it the process.
   */
  async load(file: string, dimensions: number, ef: number): Promise<number> {
    return (await this.request('load', { file, dimensions, ef })).count;
  }

  /**
   * The k nearest neighbours of `vector` (copied to the worker; the caller keeps its array), only
   * among positions whose `mask` byte is 1 when a mask is given.
   */
  search(vector: Float32Array, k: number, mask?: Uint8Array): Promise<VectorHits> {
    return this.request('search', mask ? { vector, k, mask } : { vector, k });
  }

  /**
   * Refuses new requests at once and ends the thread as soon as the requests in flight have
   * their answers. Idempotent.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.refusal ??= new IndexError(`The forum index in ${this.directory} was closed (a newer index replaced it); ask again.`);
    this.closing = (async () => {
      if (this.pending.size > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      await this.end();
    })();
    return this.closing;
  }

  /** Ends the thread now; requests in flight are rejected. For a load that failed part-way. */
  async terminate(): Promise<void> {
    this.refusal ??= new IndexError(`The forum index in ${this.directory} was closed.`);
    this.closing ??= this.end();
    this.rejectAll(this.refusal);
    await this.closing;
  }

  private async end(): Promise<void> {
    this.ending = true;
    this.hold();
    await this.worker.terminate();
    await this.exited;
  }

  /**
   * The thread keeps the process alive only while a request waits for it or while it is being
   * ended (an unref'd thread's exit would not keep the process alive to see it), never idle.
   */
  private hold(): void {
    if (this.ending || this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private request<C extends VectorCall>(call: C, body: VectorCalls[C]['request']): Promise<VectorCalls[C]['result']> {
    // A new error each time, so its stack is the caller's.
    if (this.refusal) return Promise.reject(new IndexError(this.refusal.message, { cause: this.refusal.cause }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // The thread answers request `id` with the result of this call.
      this.pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      if (this.pending.size === 1) this.hold();
      const message: RequestOf<C> = { ...body, id, call };
      this.worker.postMessage(message);
    });
  }

  private answer(reply: VectorReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.settled(reply.id);
    if ('error' in reply) waiting.reject(new IndexError(`The vector search in ${this.directory} failed: ${reply.error}`));
    else waiting.resolve(reply.result);
  }

  private settled(id: number): void {
    this.pending.delete(id);
    if (this.pending.size > 0) return;
    this.hold();
    this.drained?.();
    this.drained = undefined;
  }

  /** The thread is gone or broken: every request in flight and every later one is rejected. */
  private fail(what: string, cause?: unknown): void {
    this.refusal ??= new IndexError(
      `The vector search thread for ${this.directory} ${what}; vector search is unavailable until the process restarts.`,
      { cause },
    );
    this.rejectAll(this.refusal);
  }

  private rejectAll(error: IndexError): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.hold();
    this.drained?.();
    this.drained = undefined;
    for (const { reject } of waiting) reject(error);
  }
}
