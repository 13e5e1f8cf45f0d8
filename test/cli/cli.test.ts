import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimSimulator } from '../../src/sim/tim/index.js';
import { startGeweSimulator, type GeweSimulator } from '../../src/sim/gewe/index.js';
import { GeweRegistry } from '../../src/accounts/gewe-registry.js';
import { Keys } from '../../src/lib/keys.js';
import { createHarness, TEST_GEWE_TOKEN, type Harness } from '../helpers/harness.js';
import { startTestTimSim, timEnv } from '../helpers/tim-sim.js';
import { runCliProcess } from '../helpers/cli-process.js';

const ESC = '\u001b';

describe('the friend-add CLI, as a process against a running worker', () => {
  let tim: TimSimulator;
  let gewe: GeweSimulator;
  let h: Harness;
  let dir: string;
  const cli = (...args: string[]) => runCliProcess(args, h.env);

  beforeAll(async () => {
    tim = await startTestTimSim({ ratePerSec: 100 });
    gewe = await startGeweSimulator({ token: TEST_GEWE_TOKEN });
    h = createHarness('cli', {
      ...timEnv(tim, { RETRY_BASE_MS: 20 }),
      GEWE_BASE_URL: gewe.url,
      GEWE_TOKEN: TEST_GEWE_TOKEN,
      GEWE_NEW_INTERVAL_MS: 100,
      GEWE_JITTER: 0,
    });
    await h.startWorker();
    dir = await mkdtemp(join(tmpdir(), 'fa-cli-'));
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([tim?.close(), gewe?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('submits a TIM CSV, waits with plain progress lines, and writes one result row per target', async () => {
    const csv = join(dir, 'targets.csv');
    await writeFile(
      csv,
      'toAccount,addSource,remark,groupName,addWording\n' +
        'ok_1,AddSource_Type_Web,"a remark, with a comma",friends,hello\n' +
        'pending_2,AddSource_Type_Web,,,\n' +
        'friend_3,,,,\n' +
        'ok_1,AddSource_Type_Web,,,\n',
    );
    const submit = await cli('submit', 'tim', '--from', 'alice', '--csv', csv, '--request-id', 'cli-tim', '--add-source', 'AddSource_Type_App', '--wait');
    expect(submit.stderr).toBe('');
    expect(submit.code).toBe(0);
    expect(submit.stdout).not.toContain(ESC);
    const lines = submit.stdout.trim().split('\n');
    expect(lines[0]).toBe('submitted request cli-tim: 3 targets in 1 jobs');
    expect(lines).toContain('cli-tim: 3/3 final (added 1, requested 1, already_friends 1), 0 open');
    expect(lines.at(-1)).toBe('request cli-tim finished: added 1, requested 1, already_friends 1');

    const out = join(dir, 'results.csv');
    const results = await cli('results', 'cli-tim', '--out', out);
    expect(results.code).toBe(0);
    expect(results.stderr).toContain(`wrote 3 results to ${out}`);
    const rows = parse(await readFile(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.target, r.outcome, r.code, r.attempts]).sort()).toEqual([
      ['friend_3', 'already_friends', '30520', '1'],
      ['ok_1', 'added', '0', '1'],
      ['pending_2', 'requested', '30539', '1'],
    ]);
    expect(Object.keys(rows[0]!)).toEqual(['target', 'outcome', 'code', 'info', 'attempts', 'finishedAt', 'providerRequestId']);
    expect(
      tim
        .arrivals()
        .filter((a) => a.fromAccount === 'alice')
        .map((a) => a.count),
    ).toEqual([3]);
    // The job as queued: the quoted remark whole, empty cells absent, --add-source where addSource was empty.
    const [job] = (await h.input.getJobs(['completed', 'waiting', 'active', 'delayed', 'prioritized'])).filter((j) => j.data.requestId === 'cli-tim');
    expect(job!.data.targets).toEqual([
      { toAccount: 'ok_1', addSource: 'AddSource_Type_Web', remark: 'a remark, with a comma', groupName: 'friends', addWording: 'hello' },
      { toAccount: 'pending_2', addSource: 'AddSource_Type_Web' },
      { toAccount: 'friend_3', addSource: 'AddSource_Type_App' },
    ]);
  });

  it('follows a request with status --watch, and pages more than 1000 results out to the CSV', async () => {
    const csv = join(dir, 'big.csv');
    await writeFile(csv, `toAccount,addSource\n${Array.from({ length: 1200 }, (_, i) => `ok_big${i},AddSource_Type_Web\n`).join('')}`);
    const submit = await cli('submit', 'tim', '--from', 'carol', '--csv', csv, '--request-id', 'cli-big');
    expect(submit.stdout.trim()).toBe('submitted request cli-big: 1200 targets in 2 jobs');
    const watch = await cli('status', 'cli-big', '--watch', '--timeout', '20');
    expect(watch.code).toBe(0);
    expect(watch.stdout).not.toContain(ESC);
    expect(watch.stdout).toContain('cli-big: 1200/1200 final (added 1200), 0 open');
    expect(watch.stdout).toContain('targets: 1200 in 2 jobs; 1200 final, 0 open');
    const out = join(dir, 'big-results.csv');
    expect((await cli('results', 'cli-big', '--out', out)).code).toBe(0);
    const rows = parse(await readFile(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1200);
    expect(new Set(rows.map((r) => r.target)).size).toBe(1200);
  });

  it('refuses a CSV whose row breaks TIM byte limits: exit 2, naming the row and column, nothing queued', async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, `toAccount,addSource,remark\nok_a,AddSource_Type_Web,fine\nok_b,AddSource_Type_Web,${'好'.repeat(40)}\n`);
    const before = await h.input.count();
    const run = await cli('submit', 'tim', '--from', 'bob', '--csv', csv, '--request-id', 'cli-bad');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${csv} row 3, column remark:`);
    expect(run.stderr).toContain('120 bytes');
    expect(run.stdout).toBe('');
    expect(await h.input.count()).toBe(before);
    const status = await cli('status', 'cli-bad');
    expect(status.code).toBe(4);
  });

  it('submits GeWe items from a CSV, and a `failed` target makes --wait exit 3', async () => {
    const csv = join(dir, 'items.csv');
    await writeFile(csv, 'appId,scene,option,v3,v4,content\nwx_cli,3,2,v3_ok_1,v4_1,hi\nwx_cli,3,2,v3_unknown_2,v4_2,hi\n');
    const run = await cli('submit', 'gewe', '--csv', csv, '--request-id', 'cli-gewe', '--wait', '--timeout', '20');
    expect(run.stdout).toContain('submitted request cli-gewe: 2 targets in 2 jobs');
    expect(run.stdout.trim().split('\n').at(-1)).toBe('request cli-gewe finished: requested 1, failed 1');
    expect(run.code).toBe(3);
    const json = await cli('--json', 'status', 'cli-gewe');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ requestId: 'cli-gewe', provider: 'gewe', total: 2, open: 0 });
    expect(gewe.arrivals().filter((a) => a.appId === 'wx_cli')).toHaveLength(2);
  });

  it('names a bad GeWe cell by row and column', async () => {
    const csv = join(dir, 'bad-items.csv');
    await writeFile(csv, 'appId,scene,option,v3,v4,content\nwx_cli,3,2,v3_ok_9,v4_9,hi\nwx_cli,three,2,v3_ok_10,v4_10,hi\n');
    const run = await cli('submit', 'gewe', '--csv', csv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${csv} row 3, column scene: scene must be an integer`);
  });

  it('records when a GeWe account came online', async () => {
    const [run, bad] = await Promise.all([cli('accounts', 'set', 'wx_seasoned', '2026-01-01T08:00:00+08:00'), cli('accounts', 'set', 'wx_other', 'yesterday')]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('GeWe account wx_seasoned: online since 2026-01-01T00:00:00.000Z');
    const registry = new GeweRegistry(h.redis, new Keys(h.prefix), h.config.gewe.newAccountMs);
    expect((await registry.onlineSince('wx_seasoned'))?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('ISO 8601');
  });

  it('answers usage errors, unknown requests and a Redis that does not answer with their exit codes', async () => {
    const [noFrom, badProvider, unknown, down] = await Promise.all([
      cli('submit', 'tim', '--csv', join(dir, 'targets.csv')),
      cli('pause', 'icq', 'alice'),
      cli('results', 'no-such-request'),
      runCliProcess(['status', 'x'], { ...h.env, REDIS_URL: 'redis://127.0.0.1:1' }),
    ]);
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toContain("required option '--from <account>' not specified");
    expect(badProvider.code).toBe(2);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('unknown request no-such-request');
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach Redis at redis://127.0.0.1:1');
  });
});
