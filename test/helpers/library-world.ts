import { createFriendAddClient, type FriendAddClient } from '../../src/client/friend-add-client.js';
import { createHarness, type Harness } from './harness.js';

/** A simulator, a harness pointed at it with one in-process worker, and a library client. */
export interface LibraryWorld<S extends { close(): Promise<void> }> {
  sim: S;
  h: Harness;
  client: FriendAddClient;
}

export async function startLibraryWorld<S extends { close(): Promise<void> }>(
  sim: S,
  label: string,
  env: Record<string, string | number>,
): Promise<LibraryWorld<S>> {
  const h = createHarness(label, env);
  const client = createFriendAddClient({ connection: h.redis, config: h.config });
  await h.startWorker();
  return { sim, h, client };
}

export async function stopLibraryWorld(world: LibraryWorld<{ close(): Promise<void> }>): Promise<void> {
  await world.client.close();
  await world.h.close();
  await world.sim.close();
}
