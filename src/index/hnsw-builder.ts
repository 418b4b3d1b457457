import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';

/**
 * Builds the HNSW graph while the vectors are still being made. hnswlib-node inserts one point
 * at a time on the calling thread, and at archive scale insertion is the largest cost of ingest;
 * tokenising and embedding is the second. On a machine with two cores the graph is built in a
 * worker thread that inserts each vector as soon as ingest has written it into the shared
 * array, so the two costs overlap instead of adding up.
 *
 * Points are inserted in position order with hnswlib's fixed random seed, exactly as a
 * sequential build would: the graph file is byte-identical either way.
 */
export interface HnswParameters {
  M: number;
  efConstruction: number;
}

/** Nearest neighbours of several queries, k per query (−1 where the graph has fewer points). */
export interface BatchHits {
  /** queries × k labels (= chunk positions), nearest first. */
  neighbors: Int32Array;
  /** queries × k cosine distances, as hnswlib computed them. */
  distances: Float32Array;
}

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

const RANDOM_SEED = 100;

// Plain JavaScript that runs as CommonJS (tsx, vitest, compiled JavaScript) and as an ES module
// (a parent started with --input-type=module passes that on to eval'd workers): no require, no
// import statements, only import(). Each request carries an id; its reply carries it back.
const WORKER_SOURCE = `
(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  const { createRequire } = await import('node:module');
  const hnswlib = createRequire(workerData.hnswlib)(workerData.hnswlib);
  const { dimensions, count, M, efConstruction, seed } = workerData;
  const vectors = new Float32Array(workerData.buffer);
  const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
  index.initIndex(Math.max(count, 1), M, efConstruction, seed);
  const point = new Array(dimensions).fill(0);
  let next = 0;
  const insertUpTo = (end) => {
    for (; next < end; next++) {
      const offset = next * dimensions;
      for (let d = 0; d < dimensions; d++) point[d] = vectors[offset + d];
      index.addPoint(point, next);
    }
  };
  const fail = (id, error) => parentPort.postMessage({ id, error: String((error && error.stack) || error) });
  parentPort.on('message', (message) => {
    const { id } = message;
    try {
      if (message.ready !== undefined) insertUpTo(message.ready);
      if (message.search !== undefined) {
        insertUpTo(count);
        const { queries, k, ef } = message.search;
        index.setEf(ef);
        const total = queries.length / dimensions;
        const neighbors = new Int32Array(total * k).fill(-1);
        const distances = new Float32Array(total * k).fill(Infinity);
        for (let q = 0; q < total; q++) {
          for (let d = 0; d < dimensions; d++) point[d] = queries[q * dimensions + d];
          const found = index.searchKnn(point, Math.min(k, next));
          found.neighbors.forEach((label, i) => {
            neighbors[q * k + i] = label;
            distances[q * k + i] = found.distances[i];
          });
        }
        parentPort.postMessage({ id, neighbors, distances }, [neighbors.buffer, distances.buffer]);
      }
      if (message.write !== undefined) {
        insertUpTo(count);
        index.writeIndex(message.write).then(() => parentPort.postMessage({ id }), (error) => fail(id, error));
      }
    } catch (error) {
      fail(id, error);
    }
  });
})();
`;

/**
 * A builder over `vectors` (count × dimensions floats). With a SharedArrayBuffer behind the
 * vectors the graph is built in a worker thread; otherwise (or if no worker can start) it is
 * built on this thread when it is first searched or finished.
 */
export function createHnswBuilder(vectors: Float32Array, dimensions: number, parameters: HnswParameters): HnswBuilder {
  const count = vectors.length / dimensions;
  if (vectors.buffer instanceof SharedArrayBuffer && count > 0) {
    try {
      return workerBuilder(vectors, dimensions, count, parameters);
    } catch {
      // No worker threads here: build on this thread below.
    }
  }
  return localBuilder(vectors, dimensions, count, parameters);
}

function localBuilder(vectors: Float32Array, dimensions: number, count: number, parameters: HnswParameters): HnswBuilder {
  let graph: InstanceType<typeof hnswlib.HierarchicalNSW> | undefined;
  const built = () => {
    if (graph) return graph;
    graph = new hnswlib.HierarchicalNSW('cosine', dimensions);
    graph.initIndex(Math.max(count, 1), parameters.M, parameters.efConstruction, RANDOM_SEED);
    const point: number[] = new Array<number>(dimensions).fill(0);
    for (let position = 0; position < count; position++) {
      const offset = position * dimensions;
      for (let d = 0; d < dimensions; d++) point[d] = vectors[offset + d]!;
      graph.addPoint(point, position);
    }
    return graph;
  };
  return {
    ready: () => undefined,
    abort: async () => undefined,
    search: async (queries, k, ef) => {
      const index = built();
      index.setEf(ef);
      const total = queries.length / dimensions;
      const neighbors = new Int32Array(total * k).fill(-1);
      const distances = new Float32Array(total * k).fill(Infinity);
      for (let q = 0; q < total; q++) {
        const found = index.searchKnn(Array.from(queries.subarray(q * dimensions, (q + 1) * dimensions)), Math.min(k, count));
        found.neighbors.forEach((label, i) => {
          neighbors[q * k + i] = label;
          distances[q * k + i] = found.distances[i]!;
        });
      }
      return { neighbors, distances };
    },
    finish: async (file) => {
      await built().writeIndex(file);
    },
  };
}

interface Reply {
  id: number;
  error?: string;
  neighbors?: Int32Array;
  distances?: Float32Array;
}

function workerBuilder(vectors: Float32Array, dimensions: number, count: number, parameters: HnswParameters): HnswBuilder {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      hnswlib: createRequire(import.meta.url).resolve('hnswlib-node'),
      buffer: vectors.buffer,
      dimensions,
      count,
      M: parameters.M,
      efConstruction: parameters.efConstruction,
      seed: RANDOM_SEED,
    },
  });
  let failure: Error | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    failure ??= error;
    for (const request of pending.values()) request.reject(failure);
    pending.clear();
  };
  worker.on('message', (reply: Reply) => {
    const request = pending.get(reply.id);
    if (reply.error) {
      const error = new Error(`HNSW build failed: ${reply.error}`);
      if (request) {
        pending.delete(reply.id);
        request.reject(error);
      } else failAll(error); // an insertion (no reply expected) failed
      return;
    }
    if (request) {
      pending.delete(reply.id);
      request.resolve(reply);
    }
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the HNSW build thread exited with code ${code}`)));
  const request = (message: Record<string, unknown>, transfer: ArrayBuffer[] = []) =>
    new Promise<Reply>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message }, transfer);
    });
  let posted = 0;
  return {
    ready(ready) {
      // Batches of 256 keep the message count small; the worker inserts as they come.
      if (ready - posted >= 256 || ready === count) {
        posted = ready;
        worker.postMessage({ id: 0, ready });
      }
    },
    async search(queries, k, ef) {
      const copy = Float32Array.from(queries);
      const reply = await request({ search: { queries: copy, k, ef } }, [copy.buffer]);
      return { neighbors: reply.neighbors!, distances: reply.distances! };
    },
    async finish(file) {
      try {
        await request({ write: file });
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
