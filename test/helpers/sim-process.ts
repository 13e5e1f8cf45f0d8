import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Arrival, Violation } from '../../src/sim/tim/index.js';
import type { GeweArrival, GeweViolation } from '../../src/sim/gewe/index.js';
import { TEST_GEWE_TOKEN, TEST_SDKAPPID, TEST_TIM_KEY } from './harness.js';
import { waitFor } from './wait-for.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A simulator as its own process (src/sim/<name>/main.ts), driven over its `/_sim/*` routes, so
 * that arrival times are taken on a clock and an event loop that the test does not load.
 */
export class SimProcess {
  /** The origin, once the ready line is printed. */
  url = '';
  private output = '';
  private exitCode: number | null | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.on('exit', (code) => (this.exitCode = code));
  }

  static async start(entry: string, args: string[]): Promise<SimProcess> {
    const sim = new SimProcess(spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
    const line = await waitFor(
      `${entry} to print its ready line`,
      () => {
        if (sim.exitCode !== undefined) throw new Error(`${entry} exited (${sim.exitCode}): ${sim.output}`);
        return sim.output.split('\n').find((l) => l.startsWith('{"ready"'));
      },
      30_000,
    );
    sim.url = (JSON.parse(line) as { url: string }).url;
    return sim;
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.url}${path}`);
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return (await res.json()) as T;
  }

  async post(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${this.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 204) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  }

  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined || this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** The TIM simulator process with the test app's id and key. */
export async function startTimSimProcess(ratePerSec: number, { latencyMs = 2, gateway = false }: TimSimProcessOptions = {}) {
  const sim = await SimProcess.start('src/sim/tim/main.ts', [
    '--port',
    '0',
    '--sdkappid',
    String(TEST_SDKAPPID),
    '--key',
    TEST_TIM_KEY,
    '--rate',
    String(ratePerSec),
    '--latency',
    String(latencyMs),
    ...(gateway ? ['--gateway'] : []),
  ]);
  return {
    sim,
    url: sim.url,
    arrivals: () => sim.get<Arrival[]>('/_sim/arrivals'),
    violations: () => sim.get<Violation[]>('/_sim/violations'),
    injectFault: (kind: string, count = 1, ms?: number) => sim.post('/_sim/fault', { kind, count, ms }),
    stop: () => sim.stop(),
  };
}

/** The GeWe simulator process with the test token. */
export async function startGeweSimProcess(latencyMs = 2) {
  const sim = await SimProcess.start('src/sim/gewe/main.ts', ['--port', '0', '--token', TEST_GEWE_TOKEN, '--latency', String(latencyMs)]);
  return {
    sim,
    url: sim.url,
    arrivals: async () => (await sim.get<{ arrivals: GeweArrival[] }>('/_sim/arrivals')).arrivals,
    violations: async () => (await sim.get<{ violations: GeweViolation[] }>('/_sim/violations')).violations,
    injectFault: (kind: string, count = 1) => sim.post('/_sim/fault', { kind, count }),
    stop: () => sim.stop(),
  };
}

export interface TimSimProcessOptions {
  latencyMs?: number;
  /**
   * Stamp arrivals in a gateway thread, as TIM's edge would (src/sim/shared/arrival-gateway.ts):
   * for a test that counts sliding seconds while it starves the machine (the simulator's own event
   * loop, stalled, would stamp what queued up meanwhile all at once).
   */
  gateway?: boolean;
}

export type TimSimProcess = Awaited<ReturnType<typeof startTimSimProcess>>;
export type GeweSimProcess = Awaited<ReturnType<typeof startGeweSimProcess>>;
