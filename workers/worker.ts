/** `npm run worker`: one worker process. Run more, on more machines, to scale. */
import { loadConfigOrExit } from '../src/app/load-config-or-exit.js';
import { createLogger } from '../src/lib/logger.js';
import { startWorker } from '../src/app/start-worker.js';
import { runUntilSignal } from '../src/app/run-until-signal.js';
import { boundHeapGrowth } from '../src/app/heap-growth.js';

boundHeapGrowth();
const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: 'worker' });
await runUntilSignal(logger, async () => {
  const running = await startWorker(config, logger);
  logger.info({ concurrency: config.workerConcurrency, prefix: config.queuePrefix }, 'worker started');
  return running.close;
});
