import { once } from 'node:events';
import type { Logger } from './logger.js';
import { createRedis } from './redis.js';
import type { RedisClient } from './redis-client.js';
import { pipelineEachTurn } from './turn-pipeline.js';

/** Longest wait for one reply on the state connection; none of its commands blocks. */
export const COMMAND_TIMEOUT_MS = 5000;

export interface StateConnectionOptions {
  /**
   * Send the scripts issued in one turn of the event loop as one pipeline (TurnPipeline). Only
   * for a connection that runs no BullMQ: ioredis copies every script defined on a connection
   * onto each pipeline, and BullMQ defines ~50.
   */
  pipelineEachTurn?: boolean;
}

/**
 * The worker's connection for its own state and result publishing. A command is sent once or
 * fails: no offline queue (nothing issued while Redis is down waits to run after it is back) and
 * no resend of commands in flight at a disconnect. Otherwise a write meant for a job that Redis
 * has since lost (its last second, after a crash) could land after the restart, and a result could
 * reach `friend-add-results` for a job that no longer exists, then come again from its resubmit.
 * A command that fails this way fails the step; the job resumes from its state in Redis.
 *
 * The command timeout matters: ioredis drops the commands in flight at a disconnect without
 * settling them when it does not resend them, so only a timeout ends the wait for their replies.
 */
export async function connectForState(url: string, logger: Logger, options: StateConnectionOptions = {}): Promise<RedisClient> {
  const redis = createRedis(url, {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  if (options.pipelineEachTurn) pipelineEachTurn(redis);
  redis.on('error', (err) => logger.error({ err }, 'redis error'));
  if (redis.status !== 'ready') {
    logger.info('waiting for Redis');
    await once(redis, 'ready');
  }
  return redis;
}
