import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RULES = 'deploy/prometheus/alerts.yml';
const RULE_TESTS = 'deploy/prometheus/alerts.test.yml';

const MISSING = `promtool is not installed. CI checks the alert rules with Debian's prometheus package;
.ci/run installs it, or: apt-get install -y prometheus`;

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const alertNames = () => [...read(RULES).matchAll(/^\s*- alert: (\S+)$/gm)].map((m) => m[1]!);

/** Every .ts file under src/, for the metric names the rules read. */
function sources(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('deploy/prometheus/alerts.yml', () => {
  beforeAll(async () => {
    await run('promtool', ['--version']).catch(() => {
      throw new Error(MISSING);
    });
  });

  it('passes promtool check rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', RULES], { cwd: ROOT });
    expect(stdout).toContain(`SUCCESS: ${alertNames().length} rules found`);
  });

  it('passes promtool test rules: each alert fires, and stays quiet, where it should', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', RULE_TESTS], { cwd: ROOT });
    expect(stdout).toContain('SUCCESS');
  });

  it('tests every alert both ways, and gives each a runbook section in docs/operations.md', () => {
    const tests = read(RULE_TESTS);
    const runbook = read('docs/operations.md');
    for (const name of alertNames()) {
      const cases = [...tests.matchAll(new RegExp(`alertname: ${name}\\n\\s*exp_alerts:(.*)`, 'g'))].map((m) => m[1]!.trim());
      expect(cases, `${name}: a case where it fires`).toContain('');
      expect(cases, `${name}: a case where it does not`).toContain('[]');
      expect(runbook, `${name} in the runbook`).toContain(`### ${name}`);
    }
  });

  it('reads only metrics the code exports', () => {
    const code = sources().join('\n');
    const metrics = new Set([...read(RULES).matchAll(/\b(friend_add_[a-z_]+)/g)].map((m) => m[1]!));
    expect(metrics.size).toBeGreaterThan(5);
    for (const metric of metrics) expect(code.includes(`'${metric}'`), metric).toBe(true);
  });
});
