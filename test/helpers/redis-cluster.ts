import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

/** The first port tried; redis-server also takes port + 10000 for the cluster bus. */
const FIRST_PORT = 7100;
const LAST_PORT = 7999;

export interface LocalRedisCluster {
  /** Every node, in REDIS_URL's cluster form: `redis://127.0.0.1:p1,redis://127.0.0.1:p2,...`. */
  readonly url: string;
  readonly ports: readonly number[];
  /** Kills the nodes and deletes their files. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A real 3-master Redis Cluster on this machine, from `redis-server` and `redis-cli --cluster
 * create`, with no persistence: each node keeps its cluster config in a private temporary folder.
 */
export async function startRedisCluster(masters = 3): Promise<LocalRedisCluster> {
  await requireTools();
  const dir = await mkdtemp(join(tmpdir(), 'fa-cluster-'));
  const children: ChildProcess[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await Promise.all(children.map(killAndWait));
      await rm(dir, { recursive: true, force: true });
    })());
  try {
    const ports = await freeClusterPorts(masters);
    for (const port of ports) children.push(startNode(port, dir));
    await Promise.all(ports.map((port, i) => waitFor(`redis-server on ${port}`, () => ping(port, children[i]!), 10_000, 100)));
    const nodes = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 20_000 });
    await Promise.all(ports.map((port) => waitFor(`cluster_state:ok on ${port}`, () => clusterOk(port), 20_000, 100)));
    return { url: ports.map((p) => `redis://127.0.0.1:${p}`).join(','), ports, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function requireTools(): Promise<void> {
  for (const tool of ['redis-server', 'redis-cli']) {
    await run(tool, ['--version']).catch(() => {
      throw new Error(`${tool} is not installed; the cluster test starts its own nodes. Debian: apt-get install -y redis-server`);
    });
  }
}

function startNode(port: number, dir: string): ChildProcess {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--cluster-enabled',
    'yes',
    '--cluster-config-file',
    join(dir, `nodes-${port}.conf`),
    '--cluster-node-timeout',
    '5000',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--maxmemory-policy',
    'noeviction',
    '--logfile',
    join(dir, `redis-${port}.log`),
  ];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  child.on('error', () => undefined);
  return child;
}

async function ping(port: number, child: ChildProcess): Promise<boolean> {
  if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited with ${child.exitCode}`);
  const { stdout } = await run('redis-cli', ['-p', String(port), 'PING'], { timeout: 2000 });
  return stdout.trim() === 'PONG';
}

async function clusterOk(port: number): Promise<boolean> {
  const { stdout } = await run('redis-cli', ['-p', String(port), 'CLUSTER', 'INFO'], { timeout: 2000 });
  return stdout.includes('cluster_state:ok');
}

/** `count` ports from 7100 up, each free along with its cluster-bus port (port + 10000). */
async function freeClusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  // A random start keeps two test runs on one machine from racing for the same ports.
  const start = FIRST_PORT + Math.floor(Math.random() * 80) * 10;
  for (let port = start; ports.length < count; port++) {
    if (port > LAST_PORT) throw new Error(`no ${count} free ports for a Redis Cluster between ${FIRST_PORT} and ${LAST_PORT}`);
    if ((await isFree(port)) && (await isFree(port + 10_000))) ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
