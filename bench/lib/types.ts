import type { Check } from './verdicts.js';

/** One entry of the report's `scenarios`: its figures, its anchors' figures, its goal. */
export interface ScenarioReport {
  name: string;
  /** What the scenario ran, in a sentence (sizes, processes, settings). */
  setup: string;
  /** Figures of other tools measured in the same run. */
  anchors: Record<string, unknown>;
  /** Figures computed, not measured (a ceiling, an ideal): labelled so. */
  bounds?: Record<string, unknown>;
  /** Every figure held against its goal; `goalMet` is computed from them (verdicts.ts). */
  checks: Check[];
  goal: string;
  goalMet: boolean;
  /** Why the goal was missed, or anything a reader must know to trust the figures. */
  notes?: string[];
  [figure: string]: unknown;
}

export interface BenchContext {
  quick: boolean;
  /** Figures one scenario hands to a later one (ours, beside the anchors). */
  shared: Map<string, unknown>;
}

export type Scenario = (ctx: BenchContext) => Promise<ScenarioReport>;

/** TIM's default limit, the one the contract promises to hold. */
export const TIM_LIMIT = 100;

/**
 * The TIM backlog that tim-throughput and tim-limiter-anchors both run: ~17 s of calls at the
 * limit (quick: ~5 s, long enough that the first window's fill and the drain are a small part).
 */
export function timBacklogSize(quick: boolean) {
  // BENCH_TIM_JOBS_PER_ACCOUNT: a smaller or larger backlog, for exploring (bench/tools/one-run.ts).
  const override = Number(process.env.BENCH_TIM_JOBS_PER_ACCOUNT);
  return { accounts: 50, jobsPerAccount: override > 0 ? override : quick ? 10 : 34, targetsPerJob: 1000 };
}

/** tim-throughput's calls-bound backlog of one-target calls: ~31 s at the limit (quick: ~4 s). */
export function timCallsBoundSize(quick: boolean) {
  return { accounts: 50, jobsPerAccount: quick ? 8 : 60, targetsPerJob: 1 };
}
