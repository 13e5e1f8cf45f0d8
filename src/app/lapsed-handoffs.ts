import type { Worker } from 'bullmq';
import { ANNOUNCE_EVERY_MS, type ServedServices, type Service } from '../fleet/served-services.js';
import { repeatEvery } from '../lib/repeat.js';

export interface LapsedHandoffsOptions {
  served: ServedServices;
  /** The services this worker serves: their hand-off queues it consumes anyway. */
  own: ReadonlySet<Service>;
  /** Starts a BullMQ worker on the service's hand-off queue, with the processor of the intake. */
  consume: (service: Service) => Worker;
  onError: (err: unknown) => void;
  /** How often to look again. @defaultValue ANNOUNCE_EVERY_MS */
  everyMs?: number;
}

/**
 * A job handed off to a service waits in its queue for a worker of that service. When no worker
 * announced the service for a day (the fleet changed), nobody would take it, and its targets would
 * never get a result. So every worker also consumes the hand-off queues of lapsed services, where
 * the unserved path ends their jobs as the intake would: `provider_disabled`, or the field that
 * names what this deployment does not offer. When the service is announced again, the worker lets
 * its queue go back to the workers that serve it.
 */
export function consumeLapsedHandoffs(options: LapsedHandoffsOptions): { stop(): Promise<void> } {
  const consumers = new Map<Service, Worker>();
  let stopped = false;
  const look = async () => {
    const lapsed = new Set((await options.served.lapsed()).filter((service) => !options.own.has(service)));
    if (stopped) return;
    for (const service of lapsed) if (!consumers.has(service)) consumers.set(service, options.consume(service));
    for (const [service, worker] of consumers) {
      if (lapsed.has(service)) continue;
      consumers.delete(service);
      await worker.close();
    }
  };
  const looking = repeatEvery(options.everyMs ?? ANNOUNCE_EVERY_MS, look, options.onError);
  return {
    async stop() {
      stopped = true;
      looking.stop();
      await Promise.all([...consumers.values()].map((worker) => worker.close()));
      consumers.clear();
    },
  };
}
