/**
 * The CLI's exit codes, so that scripts can tell what happened without reading the text.
 * docs: README, "Command line".
 */
export const EXIT = {
  /** Done; with --wait or --watch: every target is final and none `failed`. */
  ok: 0,
  /** Something broke at run time: Redis unreachable, an unexpected error. Retrying may help. */
  runtime: 1,
  /** Usage or input at fault: flags, a CSV row, the environment, a requestId reused with other content. */
  usage: 2,
  /** With --wait or --watch: the request finished, and some of its targets ended `failed`. */
  failedTargets: 3,
  /** No such request: never submitted, or expired after REQUEST_TTL_HOURS. */
  unknownRequest: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message is for the user as it stands, with the exit code it deserves. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
