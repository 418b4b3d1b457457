/**
 * The worker thread of HnswBuilder (hnsw-builder.ts): it builds the HNSW graph of an ingest
 * from the shared vector array as ingest fills it, then answers the calibration searches and
 * writes the graph file. Messages are typed in hnsw-build-protocol.ts.
 */
import { parentPort, workerData, type TransferListItem } from 'node:worker_threads';
import type { HnswBuildReply, HnswBuildRequest, HnswBuildSetup } from './hnsw-build-protocol.js';
import { IncrementalGraph } from './hnsw-graph-builder.js';

if (!parentPort) throw new Error('hnsw-builder-thread runs as the worker thread of HnswBuilder (src/index/hnsw-builder.ts), not on its own.');
const port = parentPort;
const setup = workerData as HnswBuildSetup;
const graph = new IncrementalGraph(new Float32Array(setup.buffer), setup.dimensions, setup, setup.seed);

const failed = (id: number, error: unknown): HnswBuildReply => ({ id, error: error instanceof Error ? error.message : String(error) });

port.on('message', (request: HnswBuildRequest) => {
  const { id } = request;
  try {
    if (request.call === 'ready') graph.insertUpTo(request.count);
    else if (request.call === 'search') {
      const hits = graph.search(request.queries, request.k, request.ef);
      const transfer: TransferListItem[] = [hits.neighbors.buffer, hits.distances.buffer];
      port.postMessage({ id, result: hits } satisfies HnswBuildReply, transfer);
    } else {
      graph.write(request.file).then(
        () => port.postMessage({ id, result: null } satisfies HnswBuildReply),
        (error: unknown) => port.postMessage(failed(id, error)),
      );
    }
  } catch (error) {
    port.postMessage(failed(id, error));
  }
});
