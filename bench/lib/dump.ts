import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** With BENCH_DUMP_DIR set, raw data (arrival logs) is kept there for a closer look. */
export function dump(name: string, value: unknown): void {
  const dir = process.env.BENCH_DUMP_DIR;
  if (dir) writeFileSync(join(dir, `${name}.json`), JSON.stringify(value));
}
