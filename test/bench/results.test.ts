import { Queue, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../bench/lib/results.js';
import { benchScopes } from '../helpers/bench-scopes.js';
import { RESULTS_QUEUE } from '../../src/queue/names.js';
import { waitFor } from '../helpers/wait-for.js';

const batch = (targets: string[], outcome = 'added') => ({
  requestId: 'r',
  provider: 'tim',
  account: 'alice',
  results: targets.map((target) => ({ target, outcome, code: 0, info: '', attempts: 1, finishedAt: '2026-12-04T00:00:00.000Z' })),
});

describe('readResults', () => {
  const openScope = benchScopes();

  it('counts every target of every batch, whatever state its job is in', async () => {
    const scope = openScope('test-read-results');
    const results = new Queue(RESULTS_QUEUE, { connection: scope.redis, prefix: scope.prefix });
    scope.onClose(() => results.close());
    const done = await results.add('tim', batch(['a', 'b']));
    const consumer = new Worker(RESULTS_QUEUE, async () => 'ok', { connection: scope.redis, prefix: scope.prefix });
    await waitFor('the first batch consumed', async () => (await results.getJobState(done.id!)) === 'completed', 10_000);
    await consumer.close();
    await results.add('tim', batch(['c'], 'refused'));
    await results.add('tim', batch(['d', 'e', 'f']), { delay: 60_000 });

    const visited: string[] = [];
    const seen = await readResults(scope.redis, scope.prefix, (target) => visited.push(target));
    expect(seen).toMatchObject({ batches: 3, results: 6, outcomes: { added: 5, refused: 1 } });
    expect(visited.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(seen.firstWrittenAt).toBeLessThanOrEqual(seen.lastWrittenAt);
    expect(seen.firstWrittenAt).toBe(done.timestamp);
  });
});
