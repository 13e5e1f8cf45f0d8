import { Command, InvalidArgumentError } from 'commander';
import type { RedisClient } from '../../lib/redis-client.js';
import { EventsReader, formatEvent } from '../../events/events-reader.js';
import type { FriendAddEvent } from '../../events/event-types.js';
import { listOpenIncoming } from '../../callbacks/incoming-requests.js';
import { CallbackKeys } from '../../callbacks/callback-keys.js';
import { AutoAcceptPolicies } from '../../callbacks/auto-accept-policy.js';
import type { FriendAddClient } from '../../client/friend-add-client.js';
import { wantsJson, type CommandContext } from '../command-context.js';

const POLL_MS = 1000;

/** The library's Redis connection and prefix, as its queue handle holds them. */
function storeOf(client: FriendAddClient): { redis: RedisClient; prefix: string } {
  return { redis: client.input.opts.connection as RedisClient, prefix: client.input.opts.prefix ?? 'bull' };
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

/** `events [--request X] [--follow [--timeout S]]`: what the providers' callbacks brought. */
export function eventsCommand(ctx: CommandContext): Command {
  const { io } = ctx.session;
  return new Command('events')
    .description('events from provider callbacks (confirmed, incoming_request): of one request, or the latest of all')
    .option('--request <requestId>', "only this request's events (all of them, in order)")
    .option('--follow', 'keep printing new events as they come (Ctrl-C stops)')
    .option('--timeout <seconds>', 'with --follow: stop after this long', seconds)
    .action(async (flags: { request?: string; follow?: boolean; timeout?: number }, command: Command) => {
      const { redis, prefix } = storeOf(await ctx.session.client());
      const reader = new EventsReader(redis, prefix);
      const print = (event: FriendAddEvent) => io.out(wantsJson(command) ? JSON.stringify(event) : formatEvent(event));
      const stopAt = flags.timeout === undefined ? Infinity : Date.now() + flags.timeout * 1000;
      const seen = new Set<string>();
      let next = 0;
      for (;;) {
        const batch = flags.request === undefined ? await reader.recent() : await reader.ofRequest(flags.request, next);
        next += batch.length;
        for (const event of batch) {
          if (seen.has(event.eventId)) continue;
          seen.add(event.eventId);
          print(event);
        }
        if (!flags.follow || Date.now() >= stopAt) return;
        await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, stopAt - Date.now()))));
      }
    });
}

/** `gewe requests APPID`, `gewe auto-accept APPID POLICY`: incoming GeWe friend requests. */
export function geweCommand(ctx: CommandContext): Command {
  const { io } = ctx.session;
  const gewe = new Command('gewe').description('incoming GeWe friend requests and the auto-accept policy');
  gewe
    .command('requests')
    .description('incoming friend requests not yet accepted or rejected (answer with submit gewe, option 3 or 4)')
    .argument('<appId>')
    .action(async (appId: string, _flags: unknown, command: Command) => {
      const { redis, prefix } = storeOf(await ctx.session.client());
      const requests = await listOpenIncoming({ redis, keys: new CallbackKeys(prefix) }, appId);
      if (wantsJson(command)) return io.out(JSON.stringify(requests));
      if (requests.length === 0) return io.out(`no open friend requests for ${appId}`);
      io.out('receivedAt,scene,v3,v4,greeting');
      for (const r of requests) io.out([r.receivedAt, r.scene, r.v3, r.v4, JSON.stringify(r.greeting)].join(','));
    });
  gewe
    .command('auto-accept')
    .description("set an account's auto-accept policy: off, all, or match:<regex> on the greeting")
    .argument('<appId>')
    .argument('<policy>')
    .action(async (appId: string, policy: string) => {
      const client = await ctx.session.client();
      const { redis, prefix } = storeOf(client);
      const policies = new AutoAcceptPolicies(redis, new CallbackKeys(prefix), 'off');
      await policies.set(appId, policy);
      io.out(`GeWe account ${appId}: auto-accept ${policy}`);
    });
  return gewe;
}
