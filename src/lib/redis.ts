import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from './logger.js';
import type { RedisClient } from './redis-client.js';

/** Reconnect quickly at first, then every 2 s: a restarted Redis is back in service within that. */
const reconnectDelay = (times: number) => Math.min(times * 200, 2000);

/**
 * What every connection needs, single or clustered: `maxRetriesPerRequest: null` is what BullMQ
 * workers need, and RESP2 is what BullMQ's scripts expect (ioredis 6 speaks RESP3 by default).
 */
const CONNECTION_DEFAULTS = { maxRetriesPerRequest: null, enableReadyCheck: true, protocol: 2 } as const;

/**
 * `REDIS_URL` names a Redis Cluster when it lists several nodes separated by commas, such as
 * `redis://10.0.0.1:7000,redis://10.0.0.2:7000`. One node of a cluster is enough to find the
 * others, but several let a client start while one of them is down.
 */
export function isClusterUrl(url: string): boolean {
  return url.includes(',');
}

/**
 * Opens a Redis connection, or a Redis Cluster connection when the URL lists several nodes.
 * ioredis reconnects by itself after a restart of Redis, and follows a cluster's slot moves.
 * On a cluster, QUEUE_PREFIX must be a hash tag such as `{fa}` so that BullMQ's scripts and ours
 * find all their keys in one slot.
 */
export function createRedis(url: string, options: RedisOptions = {}): RedisClient {
  if (isClusterUrl(url)) return createCluster(url, options);
  return new Redis(url, { ...CONNECTION_DEFAULTS, retryStrategy: reconnectDelay, ...options } as RedisOptions);
}

/**
 * The nodes come from each URL; the credentials and TLS (`rediss://`) from the first one, since a
 * cluster applies them to every node it discovers. A cluster has no database number.
 */
function createCluster(url: string, options: RedisOptions): Cluster {
  const urls = url.split(',').map((part) => new URL(part.trim()));
  const first = urls[0]!;
  const nodes = urls.map((u) => ({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) }));
  const { retryStrategy: _ignored, ...nodeOptions } = options;
  const redisOptions = {
    ...CONNECTION_DEFAULTS,
    username: decodeURIComponent(first.username) || undefined,
    password: decodeURIComponent(first.password) || undefined,
    tls: first.protocol === 'rediss:' ? {} : undefined,
    ...nodeOptions,
  };
  const clusterOptions: ClusterOptions = {
    enableReadyCheck: true,
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    clusterRetryStrategy: reconnectDelay,
    redisOptions: redisOptions as ClusterOptions['redisOptions'],
  };
  return new Cluster(nodes, clusterOptions);
}

/** Warns when Redis may evict keys: BullMQ and our state need `maxmemory-policy noeviction`. */
export async function warnUnlessNoEviction(redis: RedisClient, logger: Logger): Promise<void> {
  try {
    // On a cluster this asks one node; the nodes of one cluster are configured alike.
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy && policy !== 'noeviction') {
      logger.warn({ policy }, 'Redis maxmemory-policy is not noeviction: queued work can be evicted and lost');
    }
  } catch (err) {
    logger.warn({ err }, 'could not read Redis maxmemory-policy (CONFIG may be disabled); make sure it is noeviction');
  }
}
