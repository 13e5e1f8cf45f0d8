import { Queue } from 'bullmq';
import { RESULTS_QUEUE } from '../../src/queue/names.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import type { ResultBatch, TargetResult } from '../../src/domain/types.js';
import { waitFor } from './wait-for.js';

export interface CollectedResult extends TargetResult {
  requestId: string;
  account: string;
  provider: string;
}

/** Reads `friend-add-results` as a consumer would see it (nobody consumes it in tests). */
export class ResultsReader {
  readonly queue: Queue;

  constructor(connection: RedisClient, prefix: string) {
    this.queue = new Queue(RESULTS_QUEUE, { connection, prefix });
  }

  async all(): Promise<CollectedResult[]> {
    const jobs = await this.queue.getJobs(['waiting', 'completed', 'failed', 'delayed', 'active', 'prioritized'], 0, -1);
    return jobs.flatMap((job) => {
      const batch = job.data as ResultBatch;
      return batch.results.map((r) => ({ ...r, requestId: batch.requestId, account: batch.account, provider: batch.provider }));
    });
  }

  /** Waits until at least `count` results are on the queue; returns them all. */
  async waitForCount(count: number, timeoutMs = 30_000, requestId?: string): Promise<CollectedResult[]> {
    return waitFor(
      `${count} results`,
      async () => {
        const all = (await this.all()).filter((r) => !requestId || r.requestId === requestId);
        return all.length >= count ? all : undefined;
      },
      timeoutMs,
      100,
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/** Results grouped by target: exactly one each is the contract. */
export function byTarget(results: readonly CollectedResult[]): Map<string, CollectedResult[]> {
  const map = new Map<string, CollectedResult[]>();
  for (const r of results) map.set(`${r.requestId}/${r.target}`, [...(map.get(`${r.requestId}/${r.target}`) ?? []), r]);
  return map;
}
