/** `npm run api`: the HTTP producer API on API_PORT. Run more behind a load balancer to scale. */
import { loadConfigOrExit } from '../src/app/load-config-or-exit.js';
import { createLogger } from '../src/lib/logger.js';
import { startApi } from '../src/api/start-api.js';
import { runUntilSignal } from '../src/app/run-until-signal.js';

const config = loadConfigOrExit({ servesApi: true });
const logger = createLogger({ level: config.logLevel, name: 'api' });
await runUntilSignal(logger, async () => {
  const api = await startApi(config, logger);
  logger.info({ url: api.url, prefix: config.queuePrefix, auth: Boolean(config.api.token) }, 'api started');
  return api.close;
});
