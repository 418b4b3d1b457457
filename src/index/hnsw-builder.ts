import type { Worker } from 'node:worker_threads';
import { IndexError } from '../errors.js';
import type { BatchHits, HnswBuildCall, HnswBuildCalls, HnswBuildReply, HnswBuildRequestOf, HnswBuildSetup } from './hnsw-build-protocol.js';
import { IncrementalGraph, RANDOM_SEED, type GraphParameters } from './hnsw-graph-builder.js';
import { startModuleThread } from './module-thread.js';

/**
 * Builds the HNSW graph while the vectors are still being made. hnswlib-node inserts one point
 * at a time on the calling thread, and at archive scale insertion is the largest cost of ingest;
 * tokenising and embedding is the second. On a machine with two cores the graph is built in a
 * worker thread (hnsw-builder-thread.ts) that inserts each vector as soon as ingest has written
 * it into the shared array, so the two costs overlap instead of adding up. Either way the graph
 * is the same (hnsw-graph-builder.ts): byte-identical to a sequential build.
 */
export type HnswParameters = GraphParameters;
export type { BatchHits } from './hnsw-build-protocol.js';

export interface HnswBuilder {
  /** Positions [0, count) have their vectors in place. Call with increasing counts. */
  ready(count: number): void;
  /**
   * Inserts whatever is left, then searches the finished graph at breadth `ef` for each query
   * (`queries` holds them end to end). Ingest measures the graph's recall with it.
   */
  search(queries: Float32Array, k: number, ef: number): Promise<BatchHits>;
  /** Inserts whatever is left, writes the graph to `file` and ends the builder. */
  finish(file: string): Promise<void>;
  /** Stops a build that will not be finished (an error elsewhere). */
  abort(): Promise<void>;
}

/** Vectors announced to the thread at a time: keeps the message count small. */
const READY_BATCH = 256;

/**
 * A builder over `vectors` (count × dimensions floats). With a SharedArrayBuffer behind the
 * vectors the graph is built in a worker thread; otherwise (or if no worker can start) it is
 * built on this thread when it is first searched or finished.
 */
export function createHnswBuilder(vectors: Float32Array, dimensions: number, parameters: HnswParameters): HnswBuilder {
  const count = vectors.length / dimensions;
  if (vectors.buffer instanceof SharedArrayBuffer && count > 0) {
    try {
      return workerBuilder(vectors.buffer, dimensions, count, parameters);
    } catch {
      // No worker threads here: build on this thread below.
    }
  }
  return localBuilder(vectors, dimensions, parameters);
}

function localBuilder(vectors: Float32Array, dimensions: number, parameters: HnswParameters): HnswBuilder {
  let graph: IncrementalGraph | undefined;
  const built = () => (graph ??= new IncrementalGraph(vectors, dimensions, parameters));
  return {
    ready: () => undefined,
    abort: async () => undefined,
    search: async (queries, k, ef) => built().search(queries, k, ef),
    finish: (file) => built().write(file),
  };
}

interface Pending {
  resolve: (result: HnswBuildCalls[HnswBuildCall]['result']) => void;
  reject: (error: Error) => void;
}

function workerBuilder(buffer: SharedArrayBuffer, dimensions: number, count: number, parameters: HnswParameters): HnswBuilder {
  const setup: HnswBuildSetup = { buffer, dimensions, count, M: parameters.M, efConstruction: parameters.efConstruction, seed: RANDOM_SEED };
  const worker: Worker = startModuleThread(new URL('./hnsw-builder-thread.js', import.meta.url), { workerData: setup });
  let failure: Error | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const failAll = (error: Error) => {
    failure ??= error;
    for (const request of pending.values()) request.reject(failure);
    pending.clear();
  };
  worker.on('message', (reply: HnswBuildReply) => {
    const request = pending.get(reply.id);
    pending.delete(reply.id);
    if ('error' in reply) {
      const error = new IndexError(`HNSW build failed: ${reply.error}`);
      if (request) request.reject(error);
      else failAll(error); // an insertion (no reply expected) failed
    } else request?.resolve(reply.result);
  });
  worker.on('error', (error) => failAll(new IndexError(`The HNSW build thread failed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => failAll(new IndexError(`The HNSW build thread exited with code ${code}.`)));
  const post = <C extends HnswBuildCall>(message: HnswBuildRequestOf<C>, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);
  const request = <C extends HnswBuildCall>(call: C, body: HnswBuildCalls[C]['request'], transfer: ArrayBuffer[] = []) =>
    new Promise<HnswBuildCalls[C]['result']>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      post<C>({ ...body, id, call }, transfer);
    });
  let posted = 0;
  return {
    ready(ready) {
      if (ready - posted >= READY_BATCH || ready === count) {
        posted = ready;
        post<'ready'>({ id: 0, call: 'ready', count: ready });
      }
    },
    async search(queries, k, ef) {
      const copy = Float32Array.from(queries);
      return request('search', { queries: copy, k, ef }, [copy.buffer]);
    },
    async finish(file) {
      try {
        await request('write', { file });
      } finally {
        pending.clear();
        await worker.terminate();
      }
    },
    async abort() {
      await worker.terminate();
    },
  };
}
