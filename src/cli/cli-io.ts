/** Where the CLI writes: injected, so that output is one thing to look at in tests. */
export interface CliIo {
  /** A line for stdout: results, statuses, what was done. */
  out(line: string): void;
  /** A line for stderr: errors and notes beside the data. */
  err(line: string): void;
  /** The stream a progress bar draws on. */
  readonly stdout: NodeJS.WriteStream;
  /** Draw a progress bar (stdout is a terminal), or print plain lines (a pipe or a file). */
  readonly interactive: boolean;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdout: process.stdout,
    interactive: process.stdout.isTTY === true,
  };
}
