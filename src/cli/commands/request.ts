import { Command } from 'commander';
import { positiveSeconds, WATCH_INTERVAL_MS } from '../options.js';
import { CliError, EXIT } from '../exit-codes.js';
import { formatStatus } from '../format-status.js';
import { countsByOutcome } from '../progress-view.js';
import { exitCodeOf, watchRequest } from '../watch-request.js';
import { readAllResults, resultsCsv, writeOutput } from '../results-csv.js';
import { wantsJson, type CommandContext } from '../command-context.js';

/** `status`, `results`, `cancel` and `retry-failed`: what one does with a request once submitted. */
export function requestCommands(ctx: CommandContext): Command[] {
  const { io } = ctx.session;

  const status = new Command('status')
    .description('totals by outcome, open targets, and the called targets still open')
    .argument('<requestId>')
    .option('--watch', 'follow the request until every target is final (exit code 3 if some failed)')
    .option('--timeout <seconds>', 'with --watch: give up after this long (exit code 1)', positiveSeconds)
    .action(async (requestId: string, flags: { watch?: boolean; timeout?: number }, command: Command) => {
      const client = await ctx.session.client();
      if (flags.watch) {
        const timeoutMs = flags.timeout === undefined ? undefined : flags.timeout * 1000;
        const quiet = wantsJson(command) ? { ...io, out: () => undefined, interactive: false } : io;
        const done = await watchRequest(client, requestId, quiet, { intervalMs: WATCH_INTERVAL_MS, timeoutMs });
        ctx.setExitCode(exitCodeOf(done));
      }
      const current = await client.getRequest(requestId, { limit: 20 });
      if (!current) throw unknownRequest(requestId);
      if (wantsJson(command)) io.out(JSON.stringify(current));
      else for (const line of formatStatus(current)) io.out(line);
    });

  const results = new Command('results')
    .description('every final result of a request as CSV: target,outcome,code,info,attempts,finishedAt,providerRequestId')
    .argument('<requestId>')
    .option('--out <file>', 'where to write the CSV; - for stdout', '-')
    .action(async (requestId: string, flags: { out: string }) => {
      const client = await ctx.session.client();
      const { status: last, results: all } = await readAllResults(client, requestId);
      await writeOutput(io, flags.out, resultsCsv(all));
      const open = last.open > 0 ? `; ${last.open} targets still open` : '';
      const where = flags.out === '-' ? '' : ` to ${flags.out}`;
      io.err(`wrote ${all.length} results${where} (${countsByOutcome(last)})${open}`);
    });

  const cancel = new Command('cancel')
    .description('cancel a request: its targets not yet called end `cancelled`; calls in flight finish')
    .argument('<requestId>')
    .action(async (requestId: string, _flags: unknown, command: Command) => {
      const result = await (await ctx.session.client()).cancelRequest(requestId);
      io.out(wantsJson(command) ? JSON.stringify(result) : `cancelled request ${requestId}`);
    });

  const retry = new Command('retry-failed')
    .description("submit a new request with a request's failed targets; prints its requestId")
    .argument('<requestId>')
    .action(async (requestId: string, _flags: unknown, command: Command) => {
      const result = await (await ctx.session.client()).retryFailed(requestId);
      if (wantsJson(command)) io.out(JSON.stringify(result));
      else if (result.requestId === null) io.out(`request ${requestId} has no failed targets: nothing submitted`);
      else io.out(`submitted request ${result.requestId}: ${result.targets} failed targets of ${requestId} in ${result.jobs} jobs`);
    });

  return [status, results, cancel, retry];
}

function unknownRequest(requestId: string): CliError {
  return new CliError(`unknown request ${requestId} (never submitted, or expired)`, EXIT.unknownRequest);
}
