// Structured logging (pino). One factory so every process logs the same shape: JSON lines, or, when
// asked for (by default when stderr is a terminal), pino-pretty's readable lines. pino-pretty runs as
// a synchronous stream in the process itself (no transport worker thread), so the last lines before
// an exit are never lost and a child's lifecycle is not tied to a worker.
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger } from 'pino';

/** How log lines look: JSON, or human-readable. */
export type LogFormat = 'json' | 'pretty';

/** What a user may ask for: a format, or `auto` (pretty on a terminal, JSON otherwise). */
export type LogFormatChoice = 'auto' | LogFormat;

/** The choices of `--log-format`. */
export const LOG_FORMATS: readonly LogFormatChoice[] = Object.freeze(['auto', 'json', 'pretty']);

/** The format to use: `auto` is pretty when stderr is a terminal, JSON otherwise. */
export function resolveLogFormat(choice: LogFormatChoice, stderrIsTty: boolean): LogFormat {
  if (choice === 'auto') return stderrIsTty ? 'pretty' : 'json';
  return choice;
}

/** Options of createLogger. */
export interface LoggerOptions {
  /** Process role, e.g. "supervisor" or "ml". */
  proc: string;
  /** Minimum level. */
  level?: LevelWithSilent;
  /** JSON (the default) or pretty lines. */
  format?: LogFormat;
  /** Where to write; default stderr (stdout is reserved for control messages in the child). */
  destination?: DestinationStream;
}

/**
 * pino-pretty as a synchronous stream onto stderr (or `destination`): one line per entry, local time,
 * level, pid, "proc: message", then the other fields; colours only on a terminal.
 */
export function prettyStream(destination?: DestinationStream, colorize = destination === undefined && process.stderr.isTTY): DestinationStream {
  return PinoPretty({
    destination: destination ?? 2, sync: true, colorize, singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l', ignore: 'hostname,proc', messageFormat: '{proc}: {msg}',
  });
}

/** Creates the root logger of a process. */
export function createLogger(opts: LoggerOptions): Logger {
  const base = { proc: opts.proc, pid: process.pid };
  const level = opts.level ?? 'info';
  if (opts.format === 'pretty') return pino({ level, base }, prettyStream(opts.destination));
  const dest = opts.destination ?? pino.destination({ fd: 2, sync: true });
  return pino({ level, base }, dest);
}

/** The levels pino knows, for validating flags. */
export const LOG_LEVELS: readonly LevelWithSilent[] = Object.freeze([
  'fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent',
]);
