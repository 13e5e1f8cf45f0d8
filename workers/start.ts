/** `npm start`: the API and one worker in one process, the simple default. */
import { loadConfigOrExit } from '../src/app/load-config-or-exit.js';
import { createLogger } from '../src/lib/logger.js';
import { startApi } from '../src/api/start-api.js';
import { startWorker } from '../src/app/start-worker.js';
import { runUntilSignal } from '../src/app/run-until-signal.js';
import { boundHeapGrowth } from '../src/app/heap-growth.js';

boundHeapGrowth();
const config = loadConfigOrExit({ servesApi: true });
const logger = createLogger({ level: config.logLevel, name: 'friend-add-queue' });
await runUntilSignal(logger, async () => {
  const worker = await startWorker(config, logger);
  logger.info({ concurrency: config.workerConcurrency, prefix: config.queuePrefix }, 'worker started');
  // One /metrics for the process: the API's gauges beside the worker's call counters.
  const api = await startApi(config, logger, { metricsRegistry: worker.metrics.registry }).catch(async (err: unknown) => {
    await worker.close();
    throw err;
  });
  logger.info({ url: api.url }, 'api started');
  // The API stops taking work first; then the worker drains its calls in flight.
  return async () => {
    await api.close();
    await worker.close();
  };
});
