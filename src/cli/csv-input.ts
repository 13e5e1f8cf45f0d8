import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { CliError, EXIT } from './exit-codes.js';

/** The columns of a TIM targets CSV, in the contract's names; only toAccount is required. */
export const TIM_COLUMNS = ['toAccount', 'addSource', 'remark', 'groupName', 'addWording'] as const;
/** The columns of a GeWe items CSV: all six are required (content may be an empty cell). */
export const GEWE_COLUMNS = ['appId', 'scene', 'option', 'v3', 'v4', 'content'] as const;

export type CsvRecord = Record<string, string>;

export interface CsvTable {
  path: string;
  records: CsvRecord[];
  /** The row of each record as a spreadsheet numbers it: the header is row 1. */
  rows: number[];
}

/**
 * Reads a CSV with a header row. Header names match the contract's field names, ignoring case.
 * Rows are numbered as in a spreadsheet (the header is row 1, the first record row 2), counting
 * blank lines, so that an error's row is where the user finds it.
 */
export async function readCsv(path: string, columns: readonly string[], required: readonly string[]): Promise<CsvTable> {
  const text = await (path === '-' ? readStdin() : readFile(path, 'utf8')).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, EXIT.usage);
  });
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { bom: true, skip_empty_lines: true, info: true }) as unknown as typeof parsed;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new CliError(`${path}${line ? ` row ${line}` : ''}: ${(err as Error).message}`, EXIT.usage);
  }
  const [header, ...data] = parsed;
  if (!header) throw new CliError(`${path} is empty: expected a header row (${columns.join(',')})`, EXIT.usage);
  const names = header.record.map((name) => canonicalColumn(path, name.trim(), columns));
  for (const name of required) {
    if (!names.includes(name)) throw new CliError(`${path}: the header has no ${name} column (expected ${columns.join(',')})`, EXIT.usage);
  }
  if (data.length === 0) throw new CliError(`${path} has a header but no rows`, EXIT.usage);
  return {
    path,
    records: data.map(({ record }) => Object.fromEntries(names.map((name, i) => [name, record[i] ?? '']))),
    // csv-parse counts the line where a record ends; a quoted cell may span lines.
    rows: data.map(({ record, info }) => info.lines - record.join('').split('\n').length + 1),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function canonicalColumn(path: string, name: string, columns: readonly string[]): string {
  const match = columns.find((c) => c.toLowerCase() === name.toLowerCase());
  if (!match) throw new CliError(`${path}: unknown column "${name}" in the header (expected ${columns.join(',')})`, EXIT.usage);
  return match;
}

/** A TIM target from a row: an empty cell is an absent field; `addSource` falls back to the flag. */
export function timTargetOf(row: CsvRecord, defaultAddSource?: string): Record<string, string> {
  const target: Record<string, string> = {};
  for (const column of TIM_COLUMNS) {
    const value = row[column];
    if (value !== undefined && value !== '') target[column] = value;
  }
  if (target.addSource === undefined && defaultAddSource !== undefined) target.addSource = defaultAddSource;
  return target;
}

/**
 * A GeWe item from a row. Numbers become numbers; anything else is passed on as it is, so the
 * library's validation names the field (`scene must be an integer`), and with it the row.
 */
export function geweItemOf(row: CsvRecord): Record<string, string | number> {
  const item: Record<string, string | number> = {};
  for (const column of GEWE_COLUMNS) {
    const value = row[column] ?? '';
    if (column === 'scene' || column === 'option') {
      if (/^-?\d+$/.test(value.trim())) item[column] = Number(value);
      else if (value !== '') item[column] = value;
    } else if (value !== '' || column === 'content') {
      item[column] = value;
    }
  }
  return item;
}
