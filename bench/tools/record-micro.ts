/**
 * `npx tsx bench/tools/record-micro.ts [calls]`: what recording one 1000-target call costs Redis,
 * in the two formats record-results.lua writes: one `F:<seq>` field per batch (every job now) and
 * one `f:<target>` field per final (a job recorded before that format, kept so). Each call goes
 * to a fresh job of each format in turn, so the machine's moods hit both alike. Redis's main
 * thread CPU is read from /proc (Redis on this machine only; in 10 ms ticks, so run a few
 * hundred calls), the sender's CPU with it, and one job's state size with MEMORY USAGE.
 */
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { Keys } from '../../src/lib/keys.js';
import { JobStore } from '../../src/queue/job-store.js';
import type { TargetResult } from '../../src/domain/types.js';
import { benchPrefix, connectRedis } from '../lib/redis.js';

const calls = Number(process.argv[2] ?? 300);
const redis = connectRedis();
const pid = Number(execSync('pgrep -o redis-server').toString().trim());
const mainThreadMs = () => {
  const f = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
const prefix = benchPrefix('record-micro');
const keys = new Keys(prefix);
const store = new JobStore(redis, keys, 3_600_000);
const finishedAt = new Date().toISOString();
const spent = { batchField: { redis: 0, sender: 0 }, perTarget: { redis: 0, sender: 0 } };
try {
  for (let j = 0; j < calls; j++) {
    const finals: TargetResult[] = Array.from({ length: 1000 }, (_, i) => ({
      target: `user_${j}_${i}`,
      outcome: 'added',
      code: 0,
      info: '',
      attempts: 1,
      finishedAt,
      providerRequestId: 'req-0123456789abcdef-xyz',
    }));
    for (const format of ['batchField', 'perTarget'] as const) {
      const ref = { stateId: `${format}-${j}-1`, jobId: `${format}-${j}`, requestId: `r${j % 10}`, provider: 'tim' as const, account: `a${j % 50}` };
      // An older job: a final of its own, recorded target by target, and a batch sequence.
      if (format === 'perTarget') await redis.hset(keys.job(ref.stateId), 'f:earlier', 'added', 'seq', '1');
      const redis0 = mainThreadMs();
      const cpu0 = process.cpuUsage();
      await store.record(ref, finals);
      const cpu = process.cpuUsage(cpu0);
      spent[format].redis += mainThreadMs() - redis0;
      spent[format].sender += (cpu.user + cpu.system) / 1000;
    }
  }
  // What one job's state holds in Redis after its 1000 finals, in each format.
  const bytes = async (stateId: string) => Number(await redis.call('MEMORY', 'USAGE', keys.job(stateId), 'SAMPLES', '0'));
  const stateBytes = { batchField: await bytes('batchField-0-1'), perTarget: await bytes('perTarget-0-1') };
  const per = (ms: number) => Math.round((ms / calls) * 100) / 100;
  const report = Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, { redisMs: per(v.redis), senderMs: per(v.sender) }]));
  const redisRatio = Math.round((spent.batchField.redis / spent.perTarget.redis) * 100) / 100;
  console.log(JSON.stringify({ calls, perCall: report, redisRatio, stateBytes }));
} finally {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (found.length) await redis.unlink(...found);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}
