import type { Config } from '../config/config.js';
import type { Keys } from '../lib/keys.js';
import type { RedisClient } from '../lib/redis-client.js';
import type { Clock } from '../lib/clock.js';
import { HOUR, SECOND } from '../lib/time.js';
import { repeatEvery } from '../lib/repeat.js';

/**
 * What a job needs from the worker that takes it: `tim` (any SDKAppID: the job names none),
 * `tim:<sdkAppId>` (it names one, and only a worker with that app's key can sign for it), `gewe`.
 */
export type Service = string;

/** A worker says what it serves this often, so that its fellows know its jobs are not orphans. */
export const ANNOUNCE_EVERY_MS = 30 * SECOND;

/**
 * A service some worker announced within this is the deployment's: its jobs wait for that
 * worker rather than end `provider_disabled`. A day, so that a worker down for a while (a crash
 * loop, a night) never turns its backlog into refusals; only a service nobody served for a day
 * is one the deployment does not offer.
 */
export const SERVED_WITHIN_MS = 24 * HOUR;

/** The services a worker with this configuration can carry out. */
export function servicesOf(config: Config): Service[] {
  const services: Service[] = [];
  if (config.providers.includes('tim') && config.tim.sdkAppId !== undefined) services.push('tim', `tim:${config.tim.sdkAppId}`);
  if (config.providers.includes('gewe')) services.push('gewe');
  return services;
}

/** The service a job's data asks for, read without validation (a malformed job is the processor's). */
export function serviceNeeded(name: string, data: unknown): Service {
  const sdkAppId = (data as { sdkAppId?: unknown } | null | undefined)?.sdkAppId;
  if (name === 'tim' && (typeof sdkAppId === 'number' || typeof sdkAppId === 'string') && sdkAppId !== '') return `tim:${sdkAppId}`;
  return name;
}

/**
 * Which services the workers of this deployment (one QUEUE_PREFIX) offer, kept in Redis. Workers
 * configured differently share one intake queue, so a worker that takes a job it cannot serve
 * asks here whether another worker can.
 */
export class ServedServices {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly clock: Clock,
  ) {}

  async announce(services: readonly Service[]): Promise<void> {
    if (services.length === 0) return;
    const now = String(this.clock.now());
    await this.redis.hset(this.keys.servedBy(), Object.fromEntries(services.map((s) => [s, now])));
  }

  /** Whether some worker announced the service within SERVED_WITHIN_MS. */
  async servedElsewhere(service: Service): Promise<boolean> {
    const last = Number((await this.redis.hget(this.keys.servedBy(), service)) ?? 0);
    return this.clock.now() - last < SERVED_WITHIN_MS;
  }

  /** Every service some worker ever announced, with when one last did (ms). */
  async announced(): Promise<Map<Service, number>> {
    const announced = await this.redis.hgetall(this.keys.servedBy());
    return new Map(Object.entries(announced).map(([service, at]) => [service, Number(at)]));
  }

  /** Services some worker announced once, but none within SERVED_WITHIN_MS: the deployment's no longer. */
  async lapsed(): Promise<Service[]> {
    const now = this.clock.now();
    return [...(await this.announced())].filter(([, at]) => now - at >= SERVED_WITHIN_MS).map(([service]) => service);
  }

  /** Announces now and every ANNOUNCE_EVERY_MS until stopped; a failed announce is only retried. */
  keepAnnouncing(services: readonly Service[], onError: (err: unknown) => void): { stop(): void } {
    return repeatEvery(ANNOUNCE_EVERY_MS, () => this.announce(services), onError);
  }
}
