import { pino, stdSerializers, type Logger, type DestinationStream } from 'pino';
import { CENSOR, secrets } from './secrets.js';

export type { Logger };

/**
 * Top-level paths that hold secrets, and an error's request and answer. Deeper fields named as
 * secrets are censored by `secrets.scrubDeep` (logMethod below), which walks every call's
 * arguments anyway; known secret values are scrubbed from the whole line before it is written,
 * child loggers' bindings included.
 */
const REDACT_PATHS = ['secretKey', 'token', 'usersig', 'userSig', 'authorization', 'headers["x-gewe-token"]', 'err.config', 'err.request', 'err.response'];

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** The one pino logger of a process. Redaction is configured here, once, and applies everywhere. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'friend-add-queue',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      // A logged error arrives here already scrubbed into plain fields (logMethod); a child's does not.
      serializers: { err: (err: unknown) => (err instanceof Error ? secrets.scrubDeep(stdSerializers.err(err)) : err) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, secrets.scrubDeep(errorFirst(args)) as Parameters<typeof method>);
        },
        streamWrite: (line) => secrets.scrub(line),
      },
    },
    options.destination,
  );
}

/** `log.error(err, msg?)` as pino would read it, `{ err }` and the error's message for a missing msg, before the error becomes plain fields. */
function errorFirst(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (!(first instanceof Error)) return args;
  return [{ err: first }, ...(rest.length ? rest : [first.message])];
}
