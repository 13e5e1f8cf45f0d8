import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import { basicAuthHook } from './basic-auth.js';

export const DASHBOARD_PATH = '/admin/queues';

export interface DashboardOptions {
  /** The queues to show: `friend-add` and `friend-add-results`. */
  queues: readonly Queue[];
  config: Pick<Config, 'api'>;
}

/**
 * bull-board at /admin/queues. Basic auth when DASHBOARD_USER and DASHBOARD_PASSWORD are set;
 * DASHBOARD_READONLY=true uses bull-board's readOnlyMode, which hides retry, clean, remove and
 * pause in the page and refuses them in its API too.
 */
export async function registerDashboard(app: FastifyInstance, options: DashboardOptions): Promise<{ addQueue(queue: Queue): void }> {
  const { dashboardUser, dashboardPassword, dashboardReadonly } = options.config.api;
  // One without the other is a typo, not a wish for an open dashboard: refuse to start.
  if (Boolean(dashboardUser) !== Boolean(dashboardPassword)) {
    throw new Error('DASHBOARD_USER and DASHBOARD_PASSWORD must be set together (or neither, for an open dashboard)');
  }
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  const adapt = (queue: Queue) => new BullMQAdapter(queue, { readOnlyMode: dashboardReadonly });
  const board = createBullBoard({
    queues: options.queues.map(adapt),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'friend-add' } },
  });
  // Its own encapsulated scope: the auth hook covers the dashboard's pages, assets and API, and
  // nothing else of the server.
  await app.register(async (scope) => {
    if (dashboardUser && dashboardPassword) {
      scope.addHook('onRequest', basicAuthHook({ user: dashboardUser, password: dashboardPassword }, 'friend-add dashboard'));
    } else {
      app.log.warn('DASHBOARD_USER/DASHBOARD_PASSWORD unset: the dashboard at /admin/queues is open to anyone who can reach it');
    }
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  });
  return { addQueue: (queue) => board.addQueue(adapt(queue)) };
}
