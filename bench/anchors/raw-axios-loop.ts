/**
 * The overhead anchor: what the same calls cost with nothing in between. One loop per
 * From_Account, all running at once (the pipeline's concurrency), each POSTing its calls one after
 * another with the same signing, serialising and keep-alive axios client as ours
 * (src/providers/tim/client.ts). No queue, no Redis, no limiter, no results.
 *
 * Environment: TIM_BASE_URL, TIM_SDKAPPID, TIM_SECRET_KEY, ACCOUNTS, CALLS_PER_ACCOUNT,
 * TARGETS_PER_CALL, TAG. Prints `{"ready":true,"url":"","calls":N,"elapsedMs":T,"cpuMs":C}` when done.
 */
import { createHttpClient } from '../../src/http/post-json.js';
import { createTimProvider } from '../../src/providers/tim/client.js';
import { UserSigCache } from '../../src/providers/tim/usersig.js';
import { requiredEnv as env } from './anchor-process.js';

const sdkAppId = Number(env('TIM_SDKAPPID'));
const userSig = new UserSigCache({ sdkAppId, secretKey: env('TIM_SECRET_KEY'), identifier: 'administrator' });
const provider = createTimProvider({ baseUrl: env('TIM_BASE_URL'), sdkAppId, admin: 'administrator', userSig, http: createHttpClient(), timeoutMs: 10_000 });
const accounts = Number(env('ACCOUNTS'));
const callsPerAccount = Number(env('CALLS_PER_ACCOUNT'));
const targetsPerCall = Number(env('TARGETS_PER_CALL'));
const tag = env('TAG');

async function loop(a: number): Promise<number> {
  let ok = 0;
  for (let j = 0; j < callsPerAccount; j++) {
    const targets = Array.from({ length: targetsPerCall }, (_, k) => ({ toAccount: `ok_${tag}_${a}_${j}_${k}`, addSource: 'AddSource_Type_Web' }));
    const prepared = provider.prepare({ fromAccount: `${tag}_a${a}`, targets }, targets);
    const answer = await provider.send(prepared);
    if ((answer.body as { ErrorCode?: number }).ErrorCode === 0) ok += 1;
  }
  return ok;
}

const started = performance.now();
const ok = (await Promise.all(Array.from({ length: accounts }, (_, a) => loop(a)))).reduce((s, n) => s + n, 0);
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ ready: true, url: '', calls: ok, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
