/**
 * The worker thread of VectorWorker (vector-worker.ts): it owns the HNSW graph of one loaded
 * index and answers load and search requests (vector-protocol.ts) one at a time. hnswlib
 * searches synchronously, so the main thread is free for BM25 meanwhile.
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';
import type { VectorCalls, VectorReply, VectorRequest } from './vector-protocol.js';

if (!parentPort) throw new Error('vector-worker-thread runs as the worker thread of VectorWorker (src/index/vector-worker.ts), not on its own.');
const port = parentPort;

let graph: InstanceType<typeof hnswlib.HierarchicalNSW> | undefined;
/** hnswlib takes a plain array: one, reused for every query. */
let point: number[] = [];

function load({ file, dimensions, ef }: VectorCalls['load']['request']): VectorCalls['load']['result'] {
  graph = new hnswlib.HierarchicalNSW('cosine', dimensions);
  graph.readIndexSync(file);
  graph.setEf(ef);
  point = new Array<number>(dimensions).fill(0);
  return { count: graph.getCurrentCount() };
}

function search({ vector, k, mask }: VectorCalls['search']['request']): VectorCalls['search']['result'] {
  if (!graph) throw new Error('no vector index is loaded');
  if (vector.length !== point.length) throw new Error(`the query has ${vector.length} dimensions, the index ${point.length}`);
  for (let d = 0; d < vector.length; d++) point[d] = vector[d]!;
  // A scope (the chunks of the articles a question's year names) filters inside the search,
  // so k hits in scope come back however small the scope is.
  const found = mask ? graph.searchKnn(point, k, (label) => mask[label] === 1) : graph.searchKnn(point, k);
  return { neighbors: Int32Array.from(found.neighbors), distances: Float32Array.from(found.distances) };
}

port.on('message', (request: VectorRequest) => {
  let reply: VectorReply;
  let transfer: TransferListItem[] = [];
  try {
    if (request.call === 'load') reply = { id: request.id, result: load(request) };
    else {
      const hits = search(request);
      reply = { id: request.id, result: hits };
      transfer = [hits.neighbors.buffer, hits.distances.buffer];
    }
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply, transfer);
});
