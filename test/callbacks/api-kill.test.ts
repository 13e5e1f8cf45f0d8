import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { createHarness, TEST_SDKAPPID, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait-for.js';
import { eventJobs, eventsQueue, recordResults, timFriendAddBody, timQuery, TIM_TOKEN } from './callback-helpers.js';
import { ApiProcess } from './api-process.js';

const TARGETS = 300;
/** Kill the API once this many callbacks were acknowledged: the rest are in flight or unsent. */
const KILL_AFTER_ACKS = 60;

describe('a killed API process loses no callback it acknowledged', () => {
  let h: Harness;
  let events: Queue;
  const live: ApiProcess[] = [];

  beforeAll(async () => {
    h = createHarness('apikill', { TIM_SDKAPPID: TEST_SDKAPPID, TIM_SECRET_KEY: TEST_TIM_KEY, TIM_CALLBACK_TOKEN: TIM_TOKEN, API_AUTH: 'off' });
    events = eventsQueue(h);
    const targets = Array.from({ length: TARGETS }, (_, i) => ({ target: `kill_${i}`, outcome: 'requested' as const, code: 30539 }));
    await recordResults(h, { requestId: 'kill-r', provider: 'tim', account: 'alice' }, targets);
  });
  afterAll(async () => {
    for (const api of live) await api.kill().catch(() => undefined);
    await events.close();
    await h.close();
  });

  it('every acknowledged callback becomes its confirmed event after a SIGKILL and a restart', async () => {
    const first = new ApiProcess(h.env);
    live.push(first);
    const url = await first.url();
    const acked: string[] = [];
    let killing: Promise<void> | undefined;
    // Every callback at once, as TIM would send them; the kill lands while most are in flight.
    await Promise.all(
      Array.from({ length: TARGETS }, async (_, i) => {
        const target = `kill_${i}`;
        try {
          const res = await fetch(`${url}/v1/callbacks/tim?${timQuery()}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(timFriendAddBody([['alice', target]])),
          });
          const json = (await res.json()) as { ErrorCode: number };
          if (res.status === 200 && json.ErrorCode === 0) acked.push(target);
        } catch {
          // the process died under this one: not acknowledged, so TIM would send it again
        }
        if (acked.length >= KILL_AFTER_ACKS) killing ??= first.kill();
      }),
    );
    await killing;
    expect(first.exitCode).toBe(-1);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    // A new API process publishes what the dead one stored but had not published yet.
    const second = new ApiProcess(h.env);
    live.push(second);
    await second.url();
    await waitFor(
      `${acked.length} confirmed events`,
      async () => {
        const confirmed = new Set((await eventJobs(events)).map((j) => j.data.target as string));
        return acked.every((t) => confirmed.has(t));
      },
      30_000,
      200,
    );
    const all = await eventJobs(events);
    expect(all.length).toBe(new Set(all.map((j) => j.data.target)).size); // one event per target
    console.log(`acknowledged before the kill: ${acked.length} of ${TARGETS}; confirmed after restart: ${all.length}`);
  });
});
