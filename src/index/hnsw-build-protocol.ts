/**
 * What HnswBuilder (hnsw-builder.ts, the ingest thread) and the thread that builds the graph
 * (hnsw-builder-thread.ts) exchange. Both sides import these types, so a field renamed on one
 * side fails to type-check on the other. Each request carries an id and its reply carries it
 * back; `ready` is posted without waiting (id 0) and is answered only when an insertion failed.
 */

/** What the thread is started with (its workerData). */
export interface HnswBuildSetup {
  /** count × dimensions float32, filled by ingest in position order while the thread inserts. */
  buffer: SharedArrayBuffer;
  dimensions: number;
  count: number;
  M: number;
  efConstruction: number;
  seed: number;
}

/** Nearest neighbours of several queries, k per query (−1 where the graph has fewer points). */
export interface BatchHits {
  /** queries × k labels (= chunk positions), nearest first. */
  neighbors: Int32Array<ArrayBuffer>;
  /** queries × k cosine distances, as hnswlib computed them. */
  distances: Float32Array<ArrayBuffer>;
}

/** What each call sends and what its answer holds. */
export interface HnswBuildCalls {
  /** Positions [0, count) have their vectors in place: insert them. No answer unless it fails. */
  ready: { request: { count: number }; result: null };
  /** Insert the rest, then search the graph at breadth `ef` (`queries` end to end). */
  search: { request: { queries: Float32Array<ArrayBuffer>; k: number; ef: number }; result: BatchHits };
  /** Insert the rest and write the graph to `file`. */
  write: { request: { file: string }; result: null };
}

export type HnswBuildCall = keyof HnswBuildCalls;

/** The message that asks for call C. */
export type HnswBuildRequestOf<C extends HnswBuildCall> = { id: number; call: C } & HnswBuildCalls[C]['request'];

/** Any request, as the thread receives it (narrowed by `call`). */
export type HnswBuildRequest = { [C in HnswBuildCall]: HnswBuildRequestOf<C> }[HnswBuildCall];

/** A call's result, or the message of the error the thread caught answering it. */
export type HnswBuildReply = { id: number; result: HnswBuildCalls[HnswBuildCall]['result'] } | { id: number; error: string };
