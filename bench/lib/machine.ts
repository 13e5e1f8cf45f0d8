import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { connectRedis, redisVersion } from './redis.js';
import { round } from './log.js';

/** The machine the figures came from: they mean little without it. */
export async function machineInfo() {
  const redis = connectRedis();
  try {
    const cpus = os.cpus();
    return {
      cpus: cpus.length,
      model: cpus[0]?.model ?? 'unknown',
      memGB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      redis: await redisVersion(redis),
      loadavgAtStart: os.loadavg().map((l) => round(l, 2)),
      platform: `${os.type()} ${os.release()}`,
    };
  } finally {
    redis.disconnect();
  }
}

/** Whether any process on the machine runs vitest (other engineers' tests share the cores). */
function vitestRunning(): boolean {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('vitest')) return true;
    } catch {
      // the process ended while we looked
    }
  }
  return false;
}

/**
 * Samples the 1-minute load average and looks for test runs every 5 s, so that the report says
 * under what load its figures were taken (the bench's own processes count too: about 2–4).
 */
export function startLoadMonitor(everyMs = 5000) {
  const loads: number[] = [];
  let withTests = 0;
  const take = () => {
    loads.push(os.loadavg()[0]!);
    if (vitestRunning()) withTests += 1;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const sorted = [...loads].sort((a, b) => a - b);
      return {
        loadavg1Median: round(sorted[sorted.length >> 1]!, 2),
        loadavg1Max: round(sorted[sorted.length - 1]!, 2),
        samples: loads.length,
        samplesWithTestsRunning: withTests,
      };
    },
  };
}
