import type { Config } from '../config/config.js';
import type { RedisClient } from '../lib/redis-client.js';
import type { FriendAddClient } from '../client/friend-add-client.js';
import type { TimSimulator } from '../sim/tim/index.js';
import type { GeweSimulator } from '../sim/gewe/index.js';
import { setTimSimCallbacks } from '../sim/tim/index.js';
import { sendSimFriendRequest, setGeweSimCallbacks } from '../sim/gewe/index.js';
import { incomingIds } from '../callbacks/incoming-requests.js';
import type { Row } from './print-results.js';

/** The callback settings the demo runs with: the simulators call the demo's API back. */
export const DEMO_CALLBACK_ENV = {
  TIM_CALLBACK_TOKEN: 'demo-tim-callback-token',
  GEWE_CALLBACK_SECRET: 'demo-gewe-callback-secret-0001',
  GEWE_AUTO_ACCEPT: 'match:^hello',
  GEWE_ACCEPT_INTERVAL_MS: 500,
} as const;

/** Pending TIM targets approve, and GeWe adds are accepted, this long after their answer. */
const APPROVE_AFTER_MS = 1500;

/** Points both simulators at the demo API's callback endpoints. */
export async function enableDemoCallbacks(tim: TimSimulator, gewe: GeweSimulator, apiUrl: string): Promise<void> {
  await setTimSimCallbacks(tim.url, { url: `${apiUrl}/v1/callbacks/tim`, token: DEMO_CALLBACK_ENV.TIM_CALLBACK_TOKEN, approveAfterMs: APPROVE_AFTER_MS });
  await setGeweSimCallbacks(gewe.url, { url: `${apiUrl}/v1/callbacks/gewe/${DEMO_CALLBACK_ENV.GEWE_CALLBACK_SECRET}`, confirmAfterMs: APPROVE_AFTER_MS });
}

/**
 * The second half of the demo: the `requested` targets turn confirmed as the simulators call back,
 * and a friend request pushed to `appId` is auto-accepted (its greeting matches) and ends added.
 * Returns true when all of it happened within the deadline.
 */
export async function showCallbackLoop(
  deps: { config: Config; redis: RedisClient; client: FriendAddClient; gewe: GeweSimulator },
  rows: readonly Row[],
  appId: string,
  out: (line: string) => void,
): Promise<boolean> {
  const requested = rows.filter((r) => r.outcome === 'requested').length;
  const asked = await sendSimFriendRequest(deps.gewe.url, { appId, greeting: 'hello, we met at the demo', nickname: 'Demo Dana' });
  out(`\nincoming GeWe friend request to ${appId} (greeting "hello, we met at the demo"), auto-accept policy ${DEMO_CALLBACK_ENV.GEWE_AUTO_ACCEPT}`);
  const acceptRequestId = incomingIds(appId, asked.v3).acceptRequestId;
  const deadline = Date.now() + 60_000;
  let confirmed = 0;
  let accepted = false;
  while (Date.now() < deadline) {
    const [tim, gewe, accept] = await Promise.all([
      deps.client.getRequest('demo-tim'),
      deps.client.getRequest('demo-gewe'),
      deps.client.getRequest(acceptRequestId),
    ]);
    confirmed = (tim?.confirmed ?? 0) + (gewe?.confirmed ?? 0);
    accepted = (accept?.totals.added ?? 0) === 1;
    if (confirmed >= requested && accepted) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  out(`totals after the callbacks: requested ${requested} → confirmed ${confirmed}`);
  out(`auto-accept ${acceptRequestId}: ${accepted ? 'added' : 'not finished'}`);
  return confirmed >= requested && accepted;
}
