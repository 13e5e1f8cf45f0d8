import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTimSim, timEnv } from '../../bench/lib/sims.js';
import { productionLaunch, spawnWorkers, workerEntry } from '../../bench/lib/workers.js';
import { benchScopes } from '../helpers/bench-scopes.js';

/** A process's environment and command line as the kernel holds them. */
function started(pid: number): { env: string[]; argv: string[] } {
  const read = (what: string) => readFileSync(`/proc/${pid}/${what}`, 'utf8').split('\0').filter(Boolean);
  return { env: read('environ'), argv: read('cmdline') };
}

describe("the bench's workers", () => {
  const openScope = benchScopes();

  it("read npm run worker's launch: the environment it sets first, node's flags before the entry", () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    const { env, nodeFlags } = productionLaunch();
    const envWords = Object.entries(env).map(([name, value]) => `${name}=${value}`);
    expect(envWords.length).toBeGreaterThan(0);
    expect(scripts.worker).toBe([...envWords, 'node', ...nodeFlags, 'dist/workers/worker.js'].join(' '));
  });

  it('start with that environment and those flags, as production starts them', async () => {
    const scope = openScope('test-workers-launch');
    const sim = await startTimSim(scope, { rate: 100 });
    const [worker] = await spawnWorkers(scope, 1, timEnv(sim.url, 100));
    const { env, nodeFlags } = productionLaunch();
    const seen = started(worker!.pid);
    for (const [name, value] of Object.entries(env)) expect(seen.env).toContain(`${name}=${value}`);
    expect(seen.argv.slice(1, 1 + nodeFlags.length)).toEqual(nodeFlags);
    expect(seen.argv.at(-1)).toContain(workerEntry().entry.replace(/^.*\//, ''));
  }, 60_000);
});
