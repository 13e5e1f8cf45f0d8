import { Command } from 'commander';
import { readProviderStatus } from '../../fleet/provider-status.js';
import { wantsJson, type CommandContext } from '../command-context.js';
import type { StateAccess } from '../state-access.js';
import { formatProviders } from '../format-account.js';

/** `providers`: what GET /v1/providers says: enabled, workers seen, suspended credentials, the TIM rate. */
export function providersCommand(ctx: CommandContext, state: StateAccess): Command {
  const { io } = ctx.session;
  return new Command('providers')
    .description('each provider: enabled, when a worker last served it, a suspended credential (why, next probe), the TIM rate now')
    .action(async (_flags: unknown, command: Command) => {
      const statuses = await readProviderStatus(state.config(), await state.redis(), state.keys());
      if (wantsJson(command)) io.out(JSON.stringify({ providers: statuses }));
      else for (const line of formatProviders(statuses)) io.out(line);
    });
}
