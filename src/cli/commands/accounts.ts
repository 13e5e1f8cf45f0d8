import { Command } from 'commander';
import { isoTime, providerName } from '../options.js';
import { wantsJson, type CommandContext } from '../command-context.js';

/** `accounts set|unregistered`, `pause` and `resume`: operating the accounts that add. */
export function accountCommands(ctx: CommandContext): Command[] {
  const { io } = ctx.session;

  const accounts = new Command('accounts').description('GeWe accounts: when each came online decides its pace');
  accounts
    .command('set')
    .description('record when a GeWe account came online; younger than GEWE_NEW_ACCOUNT_HOURS (or unknown) is paced as new')
    .argument('<appId>')
    .argument('<onlineSince>', 'ISO 8601 time, e.g. 2026-01-01T08:00:00+08:00', isoTime)
    .action(async (appId: string, onlineSince: Date, _flags: unknown, command: Command) => {
      await (await ctx.session.client()).setGeweAccount(appId, onlineSince);
      const since = onlineSince.toISOString();
      io.out(wantsJson(command) ? JSON.stringify({ appId, onlineSince: since }) : `GeWe account ${appId}: online since ${since}`);
    });
  accounts
    .command('unregistered')
    .description('GeWe appIds that got jobs without being registered: they are paced as new')
    .action(async (_flags: unknown, command: Command) => {
      const appIds = await (await ctx.session.client()).listUnregisteredGeweAccounts();
      if (wantsJson(command)) io.out(JSON.stringify(appIds));
      else for (const appId of appIds) io.out(appId);
    });

  const pause = new Command('pause')
    .description("pause an account (TIM From_Account or GeWe appId): its jobs wait, holding no worker slot")
    .argument('<provider>', 'tim or gewe', providerName)
    .argument('<account>')
    .action(async (provider: 'tim' | 'gewe', account: string) => {
      await (await ctx.session.client()).pauseAccount(provider, account);
      io.out(`paused ${provider} account ${account}`);
    });

  const resume = new Command('resume')
    .description('resume an account: clears a pause, GeWe parking and strikes')
    .argument('<provider>', 'tim or gewe', providerName)
    .argument('<account>')
    .action(async (provider: 'tim' | 'gewe', account: string) => {
      await (await ctx.session.client()).resumeAccount(provider, account);
      io.out(`resumed ${provider} account ${account}`);
    });

  return [accounts, pause, resume];
}
