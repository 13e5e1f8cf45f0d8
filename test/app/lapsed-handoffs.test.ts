import type { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { consumeLapsedHandoffs } from '../../src/app/lapsed-handoffs.js';
import { SERVED_WITHIN_MS, ServedServices } from '../../src/fleet/served-services.js';
import { fixedClock } from '../../src/lib/clock.js';
import { useRedisPrefix } from '../helpers/redis-prefix.js';
import { waitFor } from '../helpers/wait-for.js';

/** The hand-off queues of services nobody serves any more are taken on, and let go when served again. */
describe('lapsed hand-off queues', () => {
  const ctx = useRedisPrefix('lapsed');

  it('consumes the queue of a service not announced for a day (never its own), and lets it go once announced again', async () => {
    const clock = fixedClock(Date.now());
    const served = new ServedServices(ctx.redis, ctx.keys, clock);
    await served.announce(['gewe', 'tim:1400000009', 'tim']);
    clock.advance(SERVED_WITHIN_MS + 1);
    await served.announce(['tim']); // still served: not lapsed
    const consumers = new Map<string, { closed: boolean }>();
    const lapsed = consumeLapsedHandoffs({
      served,
      own: new Set(['tim:1400000009']), // this worker's own: its queue is consumed anyway
      consume: (service) => {
        const consumer = { closed: false };
        consumers.set(service, consumer);
        const close = async () => {
          consumer.closed = true;
        };
        return { close } as unknown as Worker;
      },
      onError: (err) => {
        throw err;
      },
      everyMs: 20,
    });
    try {
      await waitFor('the lapsed service to be taken on', () => consumers.has('gewe'));
      expect([...consumers.keys()]).toEqual(['gewe']);
      await served.announce(['gewe']);
      await waitFor('the service served again to be let go', () => consumers.get('gewe')?.closed);
    } finally {
      await lapsed.stop();
    }
  });
});
