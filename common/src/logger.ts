// Structured logging (pino). One factory so every process logs the same shape.
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** Options of createLogger. */
export interface LoggerOptions {
  /** Process role, e.g. "supervisor" or "ml". */
  proc: string;
  /** Minimum level. */
  level?: LevelWithSilent;
  /** Where to write; default stderr (stdout is reserved for control messages in the child). */
  destination?: DestinationStream;
}

/** Creates the root logger of a process. */
export function createLogger(opts: LoggerOptions): Logger {
  const dest = opts.destination ?? pino.destination({ fd: 2, sync: true });
  return pino({ level: opts.level ?? 'info', base: { proc: opts.proc, pid: process.pid } }, dest);
}

/** The levels pino knows, for validating flags. */
export const LOG_LEVELS: readonly LevelWithSilent[] = Object.freeze([
  'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent',
]);
