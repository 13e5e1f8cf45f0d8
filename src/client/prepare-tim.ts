import { randomUUID } from 'node:crypto';
import { accountLimitProblem, dedupeTargets, targetLimitProblem, timJobSchema, type TimJob, type TimTarget } from '../providers/tim/schema.js';
import { inputError } from './errors.js';
import type { PreparedRequest } from './prepared-request.js';

/** The most targets one `tim` job carries: one call's worth, so a job is one call when all goes well. */
export const TIM_TARGETS_PER_JOB = 1000;

export interface PrepareTimOptions {
  /** The SDKAppID this deployment signs for; a request naming another is refused at the door. */
  sdkAppId?: number;
}

/**
 * Validates a TIM request of any size with the worker's own schema and TIM's byte limits, so
 * nothing the worker would refuse reaches the queue; then removes duplicate targets across the
 * whole request (first wins) and cuts it into jobs of at most 1000 targets, each a contract `tim`
 * job carrying the same requestId (a random UUID when the request names none).
 */
export function prepareTim(request: unknown, options: PrepareTimOptions = {}): PreparedRequest<TimJob> {
  const parsed = timJobSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw inputError(issue.path, issue.message);
  }
  const data = parsed.data;
  const fromProblem = accountLimitProblem(data.fromAccount);
  if (fromProblem) throw inputError(['fromAccount'], fromProblem.message);
  if (options.sdkAppId !== undefined && data.sdkAppId !== undefined && data.sdkAppId !== options.sdkAppId) {
    throw inputError(['sdkAppId'], `sdkAppId ${data.sdkAppId} is not this deployment's ${options.sdkAppId}`);
  }
  data.targets.forEach((target, index) => {
    const problem = targetLimitProblem(target);
    if (problem) throw inputError(['targets', index, problem.field], problem.message);
  });
  const requestId = data.requestId ?? randomUUID();
  const targets = dedupeTargets(data.targets);
  return { provider: 'tim', requestId, jobs: cutIntoJobs(data, targets, requestId), targets: targets.length };
}

/** One account's targets (already de-duplicated) as jobs of at most 1000, each with `requestId`. */
export function cutIntoJobs(account: Omit<TimJob, 'targets'>, targets: readonly TimTarget[], requestId: string): TimJob[] {
  const jobs: TimJob[] = [];
  for (let start = 0; start < targets.length; start += TIM_TARGETS_PER_JOB) {
    jobs.push({ ...account, requestId, targets: targets.slice(start, start + TIM_TARGETS_PER_JOB) });
  }
  return jobs;
}
