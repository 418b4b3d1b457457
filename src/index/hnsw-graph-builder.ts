import hnswlib from 'hnswlib-node';
import type { BatchHits } from './hnsw-build-protocol.js';

/**
 * An HNSW graph over count × dimensions vectors, filled in position order. The same code runs
 * in the build thread (hnsw-builder-thread.ts) and on the ingest thread when no thread can be
 * used, so the two graphs are built, searched and written identically.
 *
 * Points are inserted in position order with hnswlib's fixed random seed, exactly as one
 * sequential build would: the graph file is byte-identical whichever thread built it.
 */
export const RANDOM_SEED = 100;

export interface GraphParameters {
  M: number;
  efConstruction: number;
}

export class IncrementalGraph {
  private readonly graph: InstanceType<typeof hnswlib.HierarchicalNSW>;
  /** hnswlib takes a plain array: one, reused for every point and query. */
  private readonly point: number[];
  private inserted = 0;
  private readonly count: number;

  constructor(
    private readonly vectors: Float32Array,
    private readonly dimensions: number,
    parameters: GraphParameters,
    seed = RANDOM_SEED,
  ) {
    this.count = vectors.length / dimensions;
    this.graph = new hnswlib.HierarchicalNSW('cosine', dimensions);
    this.graph.initIndex(Math.max(this.count, 1), parameters.M, parameters.efConstruction, seed);
    this.point = new Array<number>(dimensions).fill(0);
  }

  /** Inserts positions up to `end` (exclusive) not inserted yet. */
  insertUpTo(end: number): void {
    const { vectors, dimensions, point } = this;
    for (; this.inserted < Math.min(end, this.count); this.inserted++) {
      const offset = this.inserted * dimensions;
      for (let d = 0; d < dimensions; d++) point[d] = vectors[offset + d]!;
      this.graph.addPoint(point, this.inserted);
    }
  }

  /** Inserts the rest, then finds the k nearest of each query (end to end in `queries`) at breadth `ef`. */
  search(queries: Float32Array, k: number, ef: number): BatchHits {
    this.insertUpTo(this.count);
    const { dimensions, point } = this;
    this.graph.setEf(ef);
    const total = queries.length / dimensions;
    const neighbors = new Int32Array(total * k).fill(-1);
    const distances = new Float32Array(total * k).fill(Infinity);
    for (let q = 0; q < total; q++) {
      for (let d = 0; d < dimensions; d++) point[d] = queries[q * dimensions + d]!;
      const found = this.graph.searchKnn(point, Math.min(k, this.count));
      found.neighbors.forEach((label, i) => {
        neighbors[q * k + i] = label;
        distances[q * k + i] = found.distances[i]!;
      });
    }
    return { neighbors, distances };
  }

  /** Inserts the rest and writes the graph to `file`. */
  async write(file: string): Promise<void> {
    this.insertUpTo(this.count);
    await this.graph.writeIndex(file);
  }
}
