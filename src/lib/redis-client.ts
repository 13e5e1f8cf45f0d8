import type { Cluster, Redis } from 'ioredis';

/** A connection to a single Redis or to a Redis Cluster (with a hash-tag QUEUE_PREFIX). */
export type RedisClient = Redis | Cluster;
