import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what was live after a full collection: 100 % (a factor of
 * 2). V8's own factor, for a process allocating as fast as a busy worker, goes up to 4, and the
 * soak (one worker, WORKER_CONCURRENCY 50, 1000-target jobs) showed what that costs: 31 MB live
 * (two heap snapshots, 9 s apart, the same size: no leak) in a heap of 175–218 MB, mostly garbage
 * waiting for the next mark-compact, RSS 255–307 MB. With 100 %: RSS 185–201 MB, the same
 * throughput (docs/benchmarks.md, "The soak's RSS"). It is a factor of the live heap, not a cap
 * like --max-old-space-size: a worker whose live heap grows still gets room, never an OOM.
 */
export const HEAP_GROWING_PERCENT = 100;

/** Applies HEAP_GROWING_PERCENT; V8 reads it at each collection, so a process sets it at its start. */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
