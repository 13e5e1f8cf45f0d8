import { parseArgs } from 'node:util';
import { startTimSimulator } from './simulator.js';
import { setTimSimCallbacks } from './callbacks.js';

/**
 * The TIM simulator as a process. Options come from flags only, never the environment, so a
 * simulator cannot pick up a real deployment's settings by accident:
 *   tsx src/sim/tim/main.ts --port 7001 --sdkappid 1400000000 --key devkey --rate 100 --latency 2
 * `--callback-url URL [--callback-token T] [--approve-after MS]` makes pending targets approve and
 * POSTs TIM's callbacks there. `--gateway` stamps arrivals in a thread of their own (arrival-gateway.ts), for a simulator that
 * shares a busy machine with the workers.
 * Prints one JSON line `{"ready":true,"url":...}` when listening; closes on SIGTERM and SIGINT.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      sdkappid: { type: 'string', default: '1400000000' },
      key: { type: 'string', default: 'devkey' },
      admin: { type: 'string', default: 'administrator' },
      rate: { type: 'string', default: '100' },
      latency: { type: 'string', default: '2' },
      'no-log': { type: 'boolean', default: false },
      gateway: { type: 'boolean', default: false },
      'callback-url': { type: 'string' },
      'callback-token': { type: 'string' },
      'approve-after': { type: 'string', default: '200' },
    },
    strict: true,
  });
  const sim = await startTimSimulator({
    port: toNumber('port', values.port),
    host: values.host,
    sdkAppId: toNumber('sdkappid', values.sdkappid),
    secretKey: values.key,
    admin: values.admin,
    ratePerSec: toNumber('rate', values.rate),
    latencyMs: toNumber('latency', values.latency),
    keepLog: !values['no-log'],
    arrivalGateway: values.gateway,
  });
  // Pending targets approve and TIM's Sns.CallbackFriendAdd goes there (callbacks.ts).
  if (values['callback-url']) {
    await setTimSimCallbacks(sim.url, {
      url: values['callback-url'],
      token: values['callback-token'],
      approveAfterMs: toNumber('approve-after', values['approve-after']),
    });
  }
  process.stdout.write(`${JSON.stringify({ ready: true, url: sim.url })}\n`);
  // `on`, not `once`: a signal sent to the whole process group arrives twice (directly, and relayed
  // by tsx or npx), and a second one must not kill the process in the middle of closing.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function toNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new Error(`--${flag} must be a non-negative number, got ${JSON.stringify(text)}`);
  }
  return n;
}

main().catch((err: unknown) => {
  process.stderr.write(`tim simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
