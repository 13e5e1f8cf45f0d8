/**
 * `npx tsx bench/tools/pair-run.ts`: the CPU goal's pair alone, for exploring: our 2-worker full
 * batches, then d82ac7f's workers on the same backlog (as tim-throughput runs them), and ours ÷
 * theirs, workers + Redis per call. BENCH_TIM_JOBS_PER_ACCOUNT sets the backlog's length (34: the
 * full run's 1,700 calls; 10: the quick run's 500), BENCH_WORKER_NODE_ARGS flags for both sides.
 */
import { runTimBacklog } from '../scenarios/tim-throughput.js';
import { referenceWorker } from '../lib/reference-tree.js';
import type { BenchContext } from '../lib/types.js';

const ctx: BenchContext = { quick: false, shared: new Map() };
const reference = referenceWorker();
if (!reference.ok) throw new Error(`d82ac7f's workers cannot run here: ${reference.why}`);
const ours = await runTimBacklog(ctx, 2, 1000);
const theirs = await runTimBacklog(ctx, 2, 1000, reference);
const perCall = (cpu: Record<string, number>) => (cpu.workers ?? 0) + (cpu.redis ?? 0);
const ratio = perCall(ours.cpuMsPerCall) / perCall(theirs.cpuMsPerCall);
console.log(
  JSON.stringify({
    calls: ours.calls,
    ours: ours.cpuMsPerCall,
    theirs: theirs.cpuMsPerCall,
    theirPasses: theirs.passesPerJob,
    ratio: Number(ratio.toFixed(3)),
  }),
);
process.exit(0);
