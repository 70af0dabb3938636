// Command-line configuration of the ML child: one frozen object. The child receives everything
// explicitly from its supervisor (or from a developer running `tabagent-server --mode ml`).
import { parseArgs } from 'node:util';
import { LOG_FORMATS, LOG_LEVELS, type LogFormatChoice } from '@tabagent/common';
import type { LevelWithSilent } from 'pino';

/** The child's configuration. */
export interface MlConfig {
  /** Where to listen: "unix:/path.sock" or "HOST:PORT" (port 0 = any free port). */
  readonly listen: string;
  /** Address of the supervisor's ModelFiles service; empty = none (files cannot be fetched). */
  readonly filesEndpoint: string;
  /** Read the per-spawn secret from the first line of stdin. */
  readonly secretFromStdin: boolean;
  /** Exit when stdin closes (the parent went away). */
  readonly exitOnStdinEnd: boolean;
  /** Exit when this process id disappears; 0 = off. */
  readonly parentPid: number;
  /** Log level. */
  readonly logLevel: LevelWithSilent;
  /** Log lines as JSON, pretty, or auto (pretty when stderr is a terminal); a spawned child is told json. */
  readonly logFormat: LogFormatChoice;
  /** Default intra-op threads for runtimes; 0 = runtime default. */
  readonly threads: number;
}

/** Help text of the child's flags. */
export const ML_HELP = `tabagent ML service (normally spawned by tabagent-server)
  --listen ADDR          unix:/path.sock or HOST:PORT; port 0 picks a free port  [env TABAGENT_ML_LISTEN, default 127.0.0.1:0]
  --files-endpoint ADDR  supervisor ModelFiles address                         [env TABAGENT_FILES_ENDPOINT]
  --secret-stdin         read the internal secret from the first stdin line
  --exit-on-stdin-end    exit when stdin closes
  --parent-pid PID       exit when this process disappears                    [env TABAGENT_PARENT_PID]
  --threads N            intra-op threads (0 = default)                        [env TABAGENT_THREADS]
  --log-level LEVEL      ${LOG_LEVELS.join('|')}                                [env TABAGENT_LOG_LEVEL, default info]
  --log-format FORMAT    ${LOG_FORMATS.join('|')}: auto is pretty on a terminal      [env TABAGENT_LOG_FORMAT, default auto]`;

/** Parses argv (without node and script) into the frozen config. */
export function parseMlArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): MlConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      listen: { type: 'string' },
      'files-endpoint': { type: 'string' },
      'secret-stdin': { type: 'boolean', default: false },
      'exit-on-stdin-end': { type: 'boolean', default: false },
      'parent-pid': { type: 'string' },
      threads: { type: 'string' },
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
      mode: { type: 'string' },
    },
    strict: true,
  });
  const logLevel = (values['log-level'] ?? env['TABAGENT_LOG_LEVEL'] ?? 'info') as LevelWithSilent;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`--log-level: unknown level "${logLevel}"`);
  const logFormat = (values['log-format'] ?? env['TABAGENT_LOG_FORMAT'] ?? 'auto') as LogFormatChoice;
  if (!LOG_FORMATS.includes(logFormat)) throw new Error(`--log-format: unknown format "${logFormat}" (${LOG_FORMATS.join(', ')})`);
  const int = (name: string, raw: string | undefined): number => {
    const n = Number(raw ?? '0');
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a non-negative integer, got "${raw}"`);
    return n;
  };
  return Object.freeze({
    listen: values.listen ?? env['TABAGENT_ML_LISTEN'] ?? '127.0.0.1:0',
    filesEndpoint: values['files-endpoint'] ?? env['TABAGENT_FILES_ENDPOINT'] ?? '',
    secretFromStdin: values['secret-stdin'] ?? false,
    exitOnStdinEnd: values['exit-on-stdin-end'] ?? false,
    parentPid: int('parent-pid', values['parent-pid'] ?? env['TABAGENT_PARENT_PID']),
    logLevel,
    logFormat,
    threads: int('threads', values.threads ?? env['TABAGENT_THREADS']),
  });
}
