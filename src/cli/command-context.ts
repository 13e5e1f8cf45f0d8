import type { Command } from 'commander';
import type { CliSession } from './cli-session.js';
import type { ExitCode } from './exit-codes.js';

/** What every command's action gets: the session, and where to leave its exit code. */
export interface CommandContext {
  session: CliSession;
  setExitCode(code: ExitCode): void;
}

/** `--json` is a program-wide flag: a command reads it through its own Command object. */
export function wantsJson(command: Command): boolean {
  return command.optsWithGlobals<{ json?: boolean }>().json === true;
}
