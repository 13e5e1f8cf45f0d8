import { parseArgs } from 'node:util';
import { setGeweSimCallbacks, startGeweSimulator } from './index.js';

/**
 * The GeWe simulator as a process: `tsx src/sim/gewe/main.ts --token T [--port N] [--host H]
 * [--latency MS]`. Settings come from argv only, never the environment, so a stray GEWE_TOKEN
 * cannot leak into a simulator. Prints one line `{"ready":true,"url":...}` once listening.
 */
const USAGE = 'usage: main.ts --token <token> [--port <n>] [--host <addr>] [--latency <ms>] [--callback-url <url> [--confirm-after <ms>]]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function intArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

let values: ReturnType<typeof parseArgs<{ options: Record<string, { type: 'string' }>; strict: true }>>['values'];
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      latency: { type: 'string' },
      'callback-url': { type: 'string' },
      'confirm-after': { type: 'string' },
    },
    strict: true,
  }));
} catch (err) {
  fail((err as Error).message);
}
if (!values.token) fail('--token is required');

const sim = await startGeweSimulator({
  token: values.token,
  port: intArg('port', values.port),
  host: values.host,
  latencyMs: intArg('latency', values.latency),
});
// Successful adds are followed by a ModContacts push there (callbacks.ts).
if (values['callback-url']) {
  await setGeweSimCallbacks(sim.url, { url: values['callback-url'], confirmAfterMs: intArg('confirm-after', values['confirm-after']) });
}
process.stdout.write(`${JSON.stringify({ ready: true, url: sim.url })}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  void sim.close().then(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
