// BullMQ 6.7.0 ships its CommonJS build without types. Node's ESM loader finds these named
// exports; only what src/queue/delaying-worker.ts uses is declared (pinned in package-lock.json,
// held by test/queue/delaying-worker.test.ts).
declare module 'bullmq/dist/cjs/scripts/moveToDelayed-11.js' {
  /** BullMQ's moveToDelayed script: its text, its includes resolved, and how many keys it takes. */
  export const moveToDelayed: { name: string; content: string; keys: number };
}

declare module 'bullmq/dist/cjs/classes/redis-queue-backend.js' {
  import type { JobJson } from 'bullmq';
  /** A move script's fetched next job, as the Worker takes it: job data, id, rate-limit delay, next delayed time. */
  export function raw2NextJobData(raw: unknown): [JobJson | null, string, number, number];
}
