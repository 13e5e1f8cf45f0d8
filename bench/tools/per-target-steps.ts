/**
 * `npx tsx bench/tools/per-target-steps.ts`: the pure steps one TIM call of T targets goes
 * through in a worker, timed alone (no I/O): the job's parse as BullMQ makes it, parseTimJob,
 * planTimJob, the answer's parse, classifying, settling, packing the record. T (default 100) and
 * N calls (default 20,000) from the environment; run with the worker's flag
 * (`node --max-semi-space-size=16 --import tsx bench/tools/per-target-steps.ts`). A guide, not a
 * verdict: a loop over characters ranked cheaper here and cost more in the worker (twentieth
 * sitting); confirm a change with a profile of the worker (BENCH_WORKER_NODE_ARGS).
 */
import { parseTimJob } from '../../src/providers/tim/schema.js';
import { pickBatch, planTimJob } from '../../src/worker/tim/plan.js';
import { classifyTimAnswer } from '../../src/providers/tim/classify.js';
import { callRecords } from '../../src/worker/settle-targets.js';
import { packRecord } from '../../src/queue/packed-finals.js';
import { okAnswer } from '../../src/sim/tim/answer.js';
import type { ItemResult } from '../../src/sim/tim/friend-book.js';

const targetCount = Number(process.env.T ?? 100);
const calls = Number(process.env.N ?? 20_000);
const targets = Array.from({ length: targetCount }, (_, k) => ({ toAccount: `ok_pipe1_3_17_${k}`, addSource: 'AddSource_Type_Web' }));
const jobText = JSON.stringify({ requestId: 'pipe1-req', fromAccount: 'pipe1_a3', targets });
const answered = targets.map((t): ItemResult => ({ kind: 'item', toAccount: t.toAccount, code: 0, info: '' }) as ItemResult);
const answerText = JSON.stringify(okAnswer(answered, 'Id-0123456789abcdef-O-Seq-1'));
const head = `${JSON.stringify({ requestId: 'pipe1-req', provider: 'tim', account: 'pipe1_a3' }).slice(0, -1)},"results":[`;
const spentNs = new Map<string, number>();

function timed<T>(step: string, fn: () => T): T {
  const started = process.hrtime.bigint();
  const value = fn();
  spentNs.set(step, (spentNs.get(step) ?? 0) + Number(process.hrtime.bigint() - started));
  return value;
}

function oneCall(): number {
  const data = timed('the job parsed (BullMQ)', () => JSON.parse(jobText) as unknown);
  const parsed = timed('parseTimJob', () => parseTimJob(data));
  if (!parsed.ok) throw new Error(`the bench's job is invalid: ${parsed.field}`);
  const plan = timed('planTimJob', () => planTimJob(parsed.job));
  const batch = timed('pickBatch', () => pickBatch([...plan.targets.keys()], new Map(), true, 1000));
  const body = timed('the answer parsed', () => JSON.parse(answerText) as unknown);
  const verdict = timed('classifyTimAnswer', () => classifyTimAnswer(batch, { status: 200, body }));
  const records = timed('callRecords', () => callRecords(verdict, new Map(), {}, { maxAttempts: 5, retryBaseMs: 1000 }));
  return timed('packRecord', () => packRecord(head, records.finals, records.progress)).batch.length;
}

for (let i = 0; i < 3000; i++) oneCall();
spentNs.clear();
const started = process.hrtime.bigint();
for (let i = 0; i < calls; i++) oneCall();
const totalUs = Number(process.hrtime.bigint() - started) / calls / 1000;
for (const [step, ns] of spentNs) console.log(`${step.padEnd(26)} ${(ns / calls / 1000).toFixed(2)} µs`);
console.log(`${'a call, GC included'.padEnd(26)} ${totalUs.toFixed(2)} µs (${targetCount} targets, ${calls} calls)`);
