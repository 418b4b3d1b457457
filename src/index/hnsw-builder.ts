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

export interface HnswBuilder {
  /** Positions [0, count) have their vectors in place. Call with increasing counts. */
  ready(count: number): void;
  /** Inserts whatever is left, writes the graph to `file` and ends the builder. */
  finish(file: string): Promise<void>;
  /** Stops a build that will not be finished (an error elsewhere). */
  abort(): Promise<void>;
}

const RANDOM_SEED = 100;

// Plain CommonJS: runs the same under tsx, vitest and compiled JavaScript.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const hnswlib = require(workerData.hnswlib);
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
parentPort.on('message', (message) => {
  try {
    if (message.ready !== undefined) insertUpTo(message.ready);
    if (message.write !== undefined) {
      insertUpTo(count);
      index.writeIndex(message.write).then(
        () => parentPort.postMessage({ written: next }),
        (error) => parentPort.postMessage({ error: String((error && error.stack) || error) }),
      );
    }
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.stack) || error) });
  }
});
`;

/**
 * A builder over `vectors` (count × dimensions floats). With a SharedArrayBuffer behind the
 * vectors the graph is built in a worker thread; otherwise (or if no worker can start) it is
 * built on this thread when finish() is called.
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
  return {
    ready: () => undefined,
    abort: async () => undefined,
    finish: async (file) => {
      const index = new hnswlib.HierarchicalNSW('cosine', dimensions);
      index.initIndex(Math.max(count, 1), parameters.M, parameters.efConstruction, RANDOM_SEED);
      const point: number[] = new Array<number>(dimensions).fill(0);
      for (let position = 0; position < count; position++) {
        const offset = position * dimensions;
        for (let d = 0; d < dimensions; d++) point[d] = vectors[offset + d]!;
        index.addPoint(point, position);
      }
      await index.writeIndex(file);
    },
  };
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
  let settle: ((error?: Error) => void) | undefined;
  worker.on('message', (message: { written?: number; error?: string }) => {
    if (message.error) failure = new Error(`HNSW build failed: ${message.error}`);
    settle?.(failure);
  });
  worker.on('error', (error) => {
    failure = error;
    settle?.(error);
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the HNSW build thread exited with code ${code}`);
    settle?.(failure);
  });
  let posted = 0;
  return {
    ready(ready) {
      // Batches of 256 keep the message count small; the worker inserts as they come.
      if (ready - posted >= 256 || ready === count) {
        posted = ready;
        worker.postMessage({ ready });
      }
    },
    async finish(file) {
      const done = new Promise<void>((resolve, reject) => {
        settle = (error) => (error ? reject(error) : resolve());
      });
      if (failure) throw failure;
      worker.postMessage({ write: file });
      try {
        await done;
      } finally {
        await worker.terminate();
      }
    },
    async abort() {
      await worker.terminate();
    },
  };
}
