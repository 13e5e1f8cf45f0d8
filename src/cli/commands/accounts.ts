import { Command, InvalidArgumentError } from 'commander';
import { integerIn, isoTime, providerName } from '../options.js';
import { wantsJson, type CommandContext } from '../command-context.js';
import type { StateAccess } from '../state-access.js';
import { ACCOUNT_INDEX_STATES, listAccounts, type AccountIndexState } from '../../accounts/account-index.js';
import { readAccountView } from '../../accounts/account-view.js';
import { reindexAccounts } from '../../accounts/reindex-accounts.js';
import { formatAccount, formatAccountPage } from '../format-account.js';

/** `accounts show|list|set|unregistered`, `pause` and `resume`: seeing and operating the accounts that add. */
export function accountCommands(ctx: CommandContext, state: StateAccess): Command[] {
  const { io } = ctx.session;

  const accounts = new Command('accounts').description("accounts' state; GeWe accounts: when each came online decides its pace");
  accounts
    .command('show')
    .description("an account's state: lease, rest or lockout, strikes, pause or park and why; GeWe: tier, today's caps, next slots")
    .argument('<provider>', 'tim or gewe', providerName)
    .argument('<account>')
    .action(async (provider: 'tim' | 'gewe', account: string, _flags: unknown, command: Command) => {
      const view = await readAccountView(await state.redis(), state.keys(), state.config(), provider, account);
      if (wantsJson(command)) io.out(JSON.stringify(view));
      else for (const line of formatAccount(view)) io.out(line);
    });
  accounts
    .command('list')
    .description('accounts by state, a page at a time (an account in two states is listed in each)')
    .option('--provider <provider>', 'tim or gewe (default: both)', providerName)
    .option('--state <state>', `${ACCOUNT_INDEX_STATES.join(', ')} (default: all)`, indexState)
    .option('--offset <n>', 'where the page starts', integerIn(0, Number.MAX_SAFE_INTEGER), 0)
    .option('--limit <n>', 'accounts a page, at most 1000', integerIn(1, 1000), 100)
    .action(async (flags: { provider?: 'tim' | 'gewe'; state?: AccountIndexState; offset: number; limit: number }, command: Command) => {
      const page = await listAccounts(await state.redis(), state.keys(), flags);
      if (wantsJson(command)) io.out(JSON.stringify(page));
      else for (const line of formatAccountPage(page)) io.out(line);
    });
  accounts
    .command('reindex')
    .description('index accounts paused, parked, resting or locked before the indexes existed: once, after upgrading (scans the keyspace)')
    .action(async (_flags: unknown, command: Command) => {
      const report = await reindexAccounts(await state.redis(), state.keys());
      io.out(wantsJson(command) ? JSON.stringify(report) : `read ${report.accounts} accounts, added ${report.added} index entries`);
    });
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
    .description('pause an account (TIM From_Account or GeWe appId): its jobs wait, holding no worker slot')
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

function indexState(text: string): AccountIndexState {
  if (!(ACCOUNT_INDEX_STATES as readonly string[]).includes(text)) throw new InvalidArgumentError(`expected one of ${ACCOUNT_INDEX_STATES.join(', ')}`);
  return text as AccountIndexState;
}
