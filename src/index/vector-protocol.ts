/**
 * The messages between VectorWorker (vector-worker.ts, the main thread) and the thread that owns
 * the HNSW graph (vector-worker-thread.ts). Both sides import these types, so a field renamed
 * on one side fails to type-check on the other. Each request carries an id and its reply carries
 * it back: replies come in order, but the main thread matches them by id, not by order.
 */

/** Nearest neighbours as hnswlib found them. */
export interface VectorHits {
  /** HNSW labels (= chunk positions), nearest first. */
  neighbors: Int32Array<ArrayBuffer>;
  /** Cosine distances, as hnswlib computed them (float32). */
  distances: Float32Array<ArrayBuffer>;
}

/** What each call sends and what its answer holds. */
export interface VectorCalls {
  /** hnswlib reads the graph file (verified beforehand) and searches at breadth `ef`; answers the number of vectors read. */
  load: { request: { file: string; dimensions: number; ef: number }; result: { count: number } };
  /** The k nearest neighbours of `vector`; with `mask`, only among positions whose byte is 1 (filtered inside the search). */
  search: { request: { vector: Float32Array; k: number; mask?: Uint8Array }; result: VectorHits };
}

export type VectorCall = keyof VectorCalls;

/** The message that asks for call C. */
export type RequestOf<C extends VectorCall> = { id: number; call: C } & VectorCalls[C]['request'];

/** Any request, as the thread receives it (narrowed by `call`). */
export type VectorRequest = { [C in VectorCall]: RequestOf<C> }[VectorCall];

/** A call's result, or the message of the error the thread caught answering it. */
export type VectorReply = { id: number; result: VectorCalls[VectorCall]['result'] } | { id: number; error: string };
