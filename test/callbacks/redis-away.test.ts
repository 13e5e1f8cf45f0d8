import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, TEST_SDKAPPID, TEST_TIM_KEY, type Harness } from '../helpers/harness.js';
import { buildApiServer } from '../../src/api/server.js';
import { createLogger } from '../../src/lib/logger.js';
import { createRedis } from '../../src/lib/redis.js';
import { GEWE_SECRET, modContacts, postGewe, postTim, timFriendAddBody, TIM_TOKEN } from './callback-helpers.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('callbacks while Redis does not answer', () => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness('cbaway', {
      TIM_SDKAPPID: TEST_SDKAPPID,
      TIM_SECRET_KEY: TEST_TIM_KEY,
      GEWE_TOKEN: 'test-gewe-token-9a8b7c6d5e4f',
      TIM_CALLBACK_TOKEN: TIM_TOKEN,
      GEWE_CALLBACK_SECRET: GEWE_SECRET,
      API_AUTH: 'off',
    });
  });
  afterAll(() => h.close());

  it("are answered within TIM's timeout, not acknowledged: TIM envelope 503, GeWe 503", async () => {
    const redis = createRedis(`redis://127.0.0.1:${await closedPort()}`);
    redis.on('error', () => undefined);
    const app = await buildApiServer({ config: h.config, connection: redis, logger: createLogger({ level: 'silent' }) });
    try {
      const started = Date.now();
      const tim = await postTim(app, timFriendAddBody([['alice', 'bob']]));
      expect(tim.statusCode).toBe(503);
      expect(tim.json()).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 1 });
      expect(Date.now() - started).toBeLessThan(3000);
      const gewe = await postGewe(app, modContacts('wx_a', 'v3_x@stranger'));
      expect(gewe.statusCode).toBe(503);
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});
