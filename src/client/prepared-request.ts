import type { ProviderName } from '../domain/types.js';

/**
 * A validated request, ready for the queue: the contract job data of each of its jobs, in order.
 * The order matters: a job's index is part of its id (see request-identity.ts).
 */
export interface PreparedRequest<Data extends object = object> {
  provider: ProviderName;
  requestId: string;
  jobs: Data[];
  /** Distinct targets across the request: the request's `total`. */
  targets: number;
}
