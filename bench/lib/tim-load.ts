import type { Queue } from 'bullmq';

export interface TimBacklog {
  /** From_Accounts, named `<tag>_a<i>`. */
  accounts: number;
  jobsPerAccount: number;
  targetsPerJob: number;
  /** Part of every name, so that runs never share a friend pair in the simulator. */
  tag: string;
  requestId?: string;
}

export interface TimJobData {
  requestId: string;
  fromAccount: string;
  targets: { toAccount: string; addSource: string }[];
}

/**
 * Contract `tim` jobs in round-robin order over the accounts (a0, a1, ... a49, a0, ...), as a
 * backlog of many producers looks. Every target is `ok…`: the simulator adds it at the first call.
 */
export function timBacklogJobs(b: TimBacklog): { name: 'tim'; data: TimJobData }[] {
  const jobs: { name: 'tim'; data: TimJobData }[] = [];
  for (let j = 0; j < b.jobsPerAccount; j++) {
    for (let a = 0; a < b.accounts; a++) {
      const targets = Array.from({ length: b.targetsPerJob }, (_, k) => ({
        toAccount: `ok_${b.tag}_${a}_${j}_${k}`,
        addSource: 'AddSource_Type_Web',
      }));
      jobs.push({ name: 'tim', data: { requestId: b.requestId ?? `${b.tag}-req`, fromAccount: `${b.tag}_a${a}`, targets } });
    }
  }
  return jobs;
}

/** addBulk in chunks (a pipeline per chunk, not one giant one); returns how many were added. */
export async function addInChunks<T extends { name: string; data: unknown }>(queue: Queue, jobs: readonly T[], chunk = 100): Promise<number> {
  for (let i = 0; i < jobs.length; i += chunk) await queue.addBulk(jobs.slice(i, i + chunk) as never);
  return jobs.length;
}
