import { Command, CommanderError } from 'commander';
import type { Config } from '../config/config.js';
import { CliSession } from './cli-session.js';
import type { CliIo } from './cli-io.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { describeFailure } from './input-errors.js';
import { submitCommand } from './commands/submit.js';
import { requestCommands } from './commands/request.js';
import { accountCommands } from './commands/accounts.js';
import { providersCommand } from './commands/providers.js';
import { stateAccess } from './state-access.js';
import { eventsCommand, geweCommand } from './commands/events.js';
import { packageInfo } from '../lib/package-info.js';

const { version } = packageInfo();

/**
 * Runs one command line (`argv` without node and the script) and returns its exit code; never
 * throws and never exits, so that the entry point decides. Configuration is read only by the
 * commands that talk to Redis.
 */
export async function runCli(argv: readonly string[], loadConfig: () => Config, io: CliIo): Promise<ExitCode> {
  const session = new CliSession(loadConfig, io);
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram({ session, setExitCode: (code) => (exitCode = code) }, io, loadConfig);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExitCode(err);
    const failure = describeFailure(err);
    io.err(`friend-add: ${failure.message}`);
    return failure.exitCode;
  } finally {
    await session.close();
  }
}

function buildProgram(ctx: Parameters<typeof submitCommand>[0], io: CliIo, loadConfig: () => Config): Command {
  const state = stateAccess(ctx.session, loadConfig);
  const program = new Command('friend-add')
    .description('submit and follow bulk friend-add requests (TIM and GeWe) on the friend-add queue')
    .version(version)
    .option('--json', 'machine-readable output: one JSON document per line')
    .addHelpText('after', EXIT_CODES_HELP);
  const commands = [
    submitCommand(ctx),
    ...requestCommands(ctx),
    ...accountCommands(ctx, state),
    providersCommand(ctx, state),
    eventsCommand(ctx),
    geweCommand(ctx),
  ];
  for (const command of commands) program.addCommand(command);
  configure(program, io);
  return program;
}

/** Commander's messages go through `io`, and its errors come back here instead of exiting. */
function configure(command: Command, io: CliIo): void {
  command
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.err(s.trimEnd()) });
  for (const sub of command.commands) configure(sub, io);
}

/** Help and --version end with 0; anything else commander stopped at (a bare `friend-add` too) is usage. */
function commanderExitCode(err: CommanderError): ExitCode {
  return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
}

const EXIT_CODES_HELP = `
Configuration comes from the environment (REDIS_URL, QUEUE_PREFIX, ...), as for the workers.

Exit codes:
  0  done (with --wait/--watch: every target final, none failed)
  1  runtime error: Redis unreachable, timeout, unexpected error
  2  usage or invalid input: flags, a CSV row, the environment, a requestId reused with other content
  3  with --wait/--watch: the request finished with failed targets
  4  unknown request: never submitted, or expired`;
