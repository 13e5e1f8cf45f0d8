import { pino, stdSerializers, type Logger, type DestinationStream } from 'pino';
import { secrets } from './secrets.js';

export type { Logger };

/** Paths that hold secrets wherever they appear; `secrets.scrub` catches values elsewhere. */
const REDACT_PATHS = [
  'secretKey',
  '*.secretKey',
  'token',
  '*.token',
  'usersig',
  '*.usersig',
  'userSig',
  '*.userSig',
  'authorization',
  '*.authorization',
  'headers["x-gewe-token"]',
  '*.headers["x-gewe-token"]',
  'err.config',
  'err.request',
  'err.response',
];

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
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: { err: (err: Error) => secrets.scrubDeep(stdSerializers.err(err)) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, secrets.scrubDeep(args) as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}
