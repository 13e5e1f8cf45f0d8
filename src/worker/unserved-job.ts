import type { Job } from 'bullmq';
import type { ProviderName } from '../domain/types.js';
import { parseTimJob } from '../providers/tim/schema.js';
import { parseGeweJob } from '../providers/gewe/schema.js';
import { jobRefOf } from '../queue/job-ref.js';
import type { HandoffQueues } from '../queue/handoff-queues.js';
import { INPUT_QUEUE } from '../queue/names.js';
import type { ServedServices, Service } from '../fleet/served-services.js';
import type { ProcessorDeps } from './processor-deps.js';
import { rejectInvalidJob } from './reject-invalid-job.js';
import { runJob } from './run-job.js';
import { Wait } from './wait.js';
import type { JobProcessor } from './dispatch.js';

/** A hand-off job its queue's worker cannot serve after all (a config changed) looks again after this. */
const LOOK_AGAIN_MS = 5000;

export interface UnservedDeps extends ProcessorDeps {
  served: ServedServices;
  handoffs: HandoffQueues;
}

/**
 * A job this worker cannot carry out (its provider is not enabled here, or it names an SDKAppID
 * this worker has no key for). Workers configured differently share one intake, so such a job is
 * handed off to its service's queue (src/queue/handoff-queues.ts) while another worker of the
 * deployment serves it: our configuration is never the targets' outcome. Only when no worker
 * served it for a day does the deployment not offer it: then a job for a disabled provider ends
 * `refused` / `provider_disabled`.
 */
export function createUnservedProcessor(deps: UnservedDeps, needed: (job: Job) => Service): JobProcessor {
  return (job, token) =>
    runJob(job, token, deps, async () => {
      const service = needed(job);
      if (await deps.served.servedElsewhere(service)) {
        // Already in a hand-off queue (only its service's workers take those): wait there.
        if (job.queueName !== INPUT_QUEUE) throw new Wait(Date.now() + LOOK_AGAIN_MS, `needs ${service}, which this worker no longer serves`);
        const handed = await deps.handoffs.handOff(job, service);
        deps.observer.handedOff(service);
        return handed;
      }
      const provider = job.name as ProviderName;
      if (!deps.config.providers.includes(provider)) return refuseDisabled(job, provider, token, deps);
      // The provider is enabled here but for another app: the processor says which field is wrong.
      return undefined;
    });
}

async function refuseDisabled(job: Job, provider: ProviderName, token: string | undefined, deps: UnservedDeps): Promise<never> {
  const parsed = provider === 'tim' ? parseTimJob(job.data) : parseGeweJob(job.data);
  const names = parsed.ok ? namesOf(parsed.job) : parsed;
  const ref = jobRefOf(job, provider, names, token);
  if (!parsed.ok) return rejectInvalidJob(ref, parsed, deps.store, deps.publisher);
  const knownTargets = 'targets' in parsed.job ? parsed.job.targets.map((t) => t.toAccount) : [parsed.job.v3];
  const message = `provider ${provider} is not enabled in this deployment (PROVIDERS=${deps.config.providers.join(',')})`;
  return rejectInvalidJob(ref, { field: 'provider', message, knownTargets, code: 'provider_disabled' }, deps.store, deps.publisher);
}

function namesOf(data: { requestId?: string; fromAccount?: string; appId?: string }) {
  return { requestId: data.requestId, account: data.fromAccount ?? data.appId };
}
