import type { Worker } from 'bullmq';

/** An anchor's setting from its environment: every one is required, none has a default. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/**
 * Runs an anchor's BullMQ worker as the bench expects of a child: errors to stderr, `{"ready":true}`
 * on stdout once it consumes, and a clean stop (the worker closed, then `close`) on SIGTERM or SIGINT.
 */
export async function serveAnchor(worker: Worker, close: () => Promise<unknown> = async () => undefined): Promise<void> {
  worker.on('error', (err) => process.stderr.write(`worker: ${err.message}\n`));
  await worker.waitUntilReady();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void worker
      .close()
      .then(close)
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
