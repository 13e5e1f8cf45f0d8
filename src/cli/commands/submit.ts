import { Command, Option } from 'commander';
import type { SubmitResult } from '../../client/submit-request.js';
import type { TimRequest } from '../../client/friend-add-client.js';
import { MAX_PRIORITY } from '../../client/submit-request.js';
import { GEWE_COLUMNS, geweItemOf, readCsv, TIM_COLUMNS, timTargetOf, type CsvTable } from '../csv-input.js';
import { explainInputError } from '../input-errors.js';
import { integerIn, positiveSeconds, WATCH_INTERVAL_MS } from '../options.js';
import { exitCodeOf, watchRequest } from '../watch-request.js';
import { countsByOutcome } from '../progress-view.js';
import { wantsJson, type CommandContext } from '../command-context.js';

interface CommonFlags {
  csv: string;
  requestId?: string;
  priority?: number;
  wait?: boolean;
  timeout?: number;
}

interface TimFlags extends CommonFlags {
  from: string;
  addType?: 'Add_Type_Both' | 'Add_Type_Single';
  forceAdd?: boolean;
  addSource?: string;
}

/** `submit tim` and `submit gewe`: a CSV in, one request on `friend-add`, optionally followed. */
export function submitCommand(ctx: CommandContext): Command {
  const submit = new Command('submit').description('submit a request from a CSV file (idempotent by --request-id)');
  withCommonFlags(submit.command('tim'))
    .description('TIM friend_add for one From_Account; CSV columns: toAccount,addSource,remark,groupName,addWording')
    .requiredOption('--from <account>', 'the From_Account that adds the targets')
    .addOption(new Option('--add-type <type>', 'TIM AddType').choices(['Add_Type_Both', 'Add_Type_Single']))
    .option('--force-add', 'TIM ForceAddFlags: add without the other side agreeing')
    .option('--add-source <source>', 'addSource for rows whose addSource cell is empty, e.g. AddSource_Type_Web')
    .action(async (flags: TimFlags, command: Command) => {
      const table = await readCsv(flags.csv, TIM_COLUMNS, ['toAccount']);
      const request = {
        ...(flags.requestId !== undefined && { requestId: flags.requestId }),
        fromAccount: flags.from,
        ...(flags.addType !== undefined && { addType: flags.addType }),
        ...(flags.forceAdd && { forceAdd: true }),
        targets: table.records.map((row) => timTargetOf(row, flags.addSource)),
      };
      const client = await ctx.session.client();
      // The rows are unchecked text: the library validates them (and names the row's field).
      const result = await inCsvTerms(table, () => client.submitTim(request as unknown as TimRequest, { priority: flags.priority }));
      await afterSubmit(ctx, command, flags, result);
    });
  withCommonFlags(submit.command('gewe'))
    .description('GeWe addContacts, one call per row; CSV columns: appId,scene,option,v3,v4,content')
    .action(async (flags: CommonFlags, command: Command) => {
      const table: CsvTable = await readCsv(flags.csv, GEWE_COLUMNS, GEWE_COLUMNS);
      const envelope = { ...(flags.requestId !== undefined && { requestId: flags.requestId }), items: table.records.map(geweItemOf) };
      const client = await ctx.session.client();
      const result = await inCsvTerms(table, () => client.submitGewe(envelope, { priority: flags.priority }));
      await afterSubmit(ctx, command, flags, result);
    });
  return submit;
}

function withCommonFlags(command: Command): Command {
  return command
    .requiredOption('--csv <file>', 'the CSV file, with a header row; - reads stdin')
    .option('--request-id <id>', 'your key for the request: submitting it again adds nothing (default: a new UUID)')
    .option('--priority <n>', `BullMQ priority, 1 (most urgent) to ${MAX_PRIORITY}; default none`, integerIn(0, MAX_PRIORITY))
    .option('--wait', 'follow the request until every target is final (exit code 3 if some failed)')
    .option('--timeout <seconds>', 'with --wait: give up after this long (exit code 1)', positiveSeconds);
}

/** Validation errors, thrown at once or later, say the CSV's row and column. */
async function inCsvTerms<T>(table: CsvTable, submit: () => Promise<T>): Promise<T> {
  try {
    return await submit();
  } catch (err) {
    throw explainInputError(err, table);
  }
}

async function afterSubmit(ctx: CommandContext, command: Command, flags: CommonFlags, result: SubmitResult): Promise<void> {
  const { io } = ctx.session;
  const json = wantsJson(command);
  if (json) io.out(JSON.stringify(result));
  else io.out(`submitted request ${result.requestId}: ${result.targets} targets in ${result.jobs} jobs`);
  if (!flags.wait) return;
  const client = await ctx.session.client();
  const timeoutMs = flags.timeout === undefined ? undefined : flags.timeout * 1000;
  const quiet = json ? { ...io, out: () => undefined, interactive: false } : io;
  const status = await watchRequest(client, result.requestId, quiet, { intervalMs: WATCH_INTERVAL_MS, timeoutMs });
  if (json) io.out(JSON.stringify({ requestId: status.requestId, total: status.total, open: status.open, totals: status.totals }));
  else io.out(`request ${status.requestId} finished: ${countsByOutcome(status)}`);
  ctx.setExitCode(exitCodeOf(status));
}
