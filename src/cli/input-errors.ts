import { InvalidInputError } from '../domain/errors.js';
import { ConfigError } from '../config/load.js';
import { InvalidEntryError, RequestConflictError, UnknownRequestError } from '../client/errors.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';
import type { CsvTable } from './csv-input.js';

/** The flags that fill a request's own fields: an error on such a field names its flag. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  fromAccount: '--from',
  requestId: '--request-id',
  priority: '--priority',
  addType: '--add-type',
  forceAdd: '--force-add',
  sdkAppId: '--sdk-app-id',
};

/**
 * The library's validation error, said in the CSV's terms: `targets.3.remark` (or `items.3.scene`)
 * is the fourth record, so the row after the header where the user will look, and the column.
 */
export function explainInputError(err: unknown, table: CsvTable): unknown {
  if (err instanceof InvalidEntryError) {
    const row = table.rows[err.index] ?? err.index + 2;
    const column = err.field.split('.').slice(2).join('.');
    const where = column ? `row ${row}, column ${column}` : `row ${row}`;
    return new CliError(`${table.path} ${where}: ${reasonOf(err)}`, EXIT.usage);
  }
  if (err instanceof InvalidInputError) {
    const flag = FLAG_OF_FIELD[err.field.split('.')[0] ?? ''];
    return new CliError(`invalid ${flag ?? err.field}: ${reasonOf(err)}`, EXIT.usage);
  }
  return err;
}

/** The library prefixes its messages with the field's path; the CLI names the place itself. */
function reasonOf(err: InvalidInputError): string {
  const prefix = `${err.field}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/** The exit code and the message for any error that reaches the top of a command. */
export function describeFailure(err: unknown): { exitCode: ExitCode; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof CliError) return { exitCode: err.exitCode, message };
  if (err instanceof ConfigError || err instanceof InvalidInputError || err instanceof RequestConflictError) {
    return { exitCode: EXIT.usage, message };
  }
  if (err instanceof UnknownRequestError) return { exitCode: EXIT.unknownRequest, message };
  return { exitCode: EXIT.runtime, message };
}
