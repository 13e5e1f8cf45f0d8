import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/lib/logger.js';

/** A logger whose lines the test reads back: the raw text, and each line parsed. */
export function captureLogs(level = 'info'): { logger: Logger; text: () => string; lines: () => Record<string, unknown>[] } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    logger: createLogger({ level, destination: sink }),
    text: () => text,
    lines: () => parseLines(text),
  };
}

/** The JSON lines of a log (a worker process's output holds a few other lines too). */
export function parseLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut by a kill, or not ours
    }
  }
  return out;
}
