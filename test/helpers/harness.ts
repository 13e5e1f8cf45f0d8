import { Queue } from 'bullmq';
import { configWith } from '../../src/config/load.js';
import type { Config } from '../../src/config/config.js';
import { createLogger, type Logger } from '../../src/lib/logger.js';
import { startWorker, type RunningWorker } from '../../src/app/start-worker.js';
import { INPUT_QUEUE } from '../../src/queue/names.js';
import type { RedisClient } from '../../src/lib/redis-client.js';
import { connectRedis, deletePrefix, testPrefix, TEST_REDIS_URL } from './redis.js';
import { ResultsReader } from './results.js';
import { WorkerProcess } from './worker-process.js';

export const TEST_SDKAPPID = 1400000001;
export const TEST_TIM_KEY = 'test-tim-secret-key-5f0c1d2e3b4a';
export const TEST_GEWE_TOKEN = 'test-gewe-token-9a8b7c6d5e4f';

/**
 * One test run's world: a fresh prefix on the real Redis, the input queue as producers see it,
 * a reader of the results, and workers in this process or as child processes.
 */
export class Harness {
  /** A Redis Cluster connection when REDIS_URL (the environment's or `env`'s) lists several nodes. */
  readonly redis: RedisClient;
  readonly input: Queue;
  readonly results: ResultsReader;
  readonly env: Record<string, string>;
  readonly config: Config;
  private readonly inProcess: RunningWorker[] = [];
  private readonly processes: WorkerProcess[] = [];

  constructor(
    readonly prefix: string,
    env: Record<string, string | number>,
  ) {
    // Tests run the API without credentials unless they test them (API_AUTH=token and the creds).
    const world = { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', PROVIDERS: providersOf(env), API_AUTH: 'off', ...env };
    this.env = Object.fromEntries(Object.entries(world).map(([k, v]) => [k, String(v)]));
    this.redis = connectRedis(this.env.REDIS_URL);
    this.config = configWith(this.env);
    this.input = new Queue(INPUT_QUEUE, { connection: this.redis, prefix });
    this.results = new ResultsReader(this.redis, prefix);
  }

  /** A worker in this process; `logger` lets a test read its log lines. */
  async startWorker(logger: Logger = createLogger({ level: 'silent' }), overrides: Record<string, string | number> = {}) {
    const config = Object.keys(overrides).length ? configWith({ ...this.env, ...overrides }) : this.config;
    const running = await startWorker(config, logger);
    this.inProcess.push(running);
    return running;
  }

  /** A worker as its own process, started from workers/worker.ts. */
  async spawnWorker(overrides: Record<string, string | number> = {}): Promise<WorkerProcess> {
    const env = { ...this.env, LOG_LEVEL: 'info', ...Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, String(v)])) };
    const worker = new WorkerProcess(env);
    this.processes.push(worker);
    return worker.start();
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop('SIGKILL').catch(() => undefined)));
    await Promise.all(this.inProcess.map((w) => w.close().catch(() => undefined)));
    await this.input.close();
    await this.results.close();
    await deletePrefix(this.redis, this.prefix);
    this.redis.disconnect();
  }
}

/**
 * A test world serves the providers it has credentials for (both when it has none: API-only
 * tests), as a deployment would set PROVIDERS; a test may still name PROVIDERS itself.
 */
function providersOf(env: Record<string, string | number>): string {
  const served = [env.TIM_SECRET_KEY !== undefined && 'tim', env.GEWE_TOKEN !== undefined && 'gewe'].filter(Boolean);
  return served.length > 0 ? served.join(',') : 'tim,gewe';
}

export function createHarness(label: string, env: Record<string, string | number> = {}): Harness {
  return new Harness(testPrefix(label), env);
}
