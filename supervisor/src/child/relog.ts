// Re-logs the child's pino JSON lines through the supervisor's logger at their own level,
// tagged {proc: "ml", pid}; non-JSON lines (e.g. a native crash) are logged as warnings.
import type { Logger } from '@tabagent/common';

const LEVELS: Readonly<Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'>> = {
  10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal',
};

/** Logs one stderr line of the child. */
export function relogChildLine(log: Logger, pid: number | undefined, line: string): void {
  if (line.trim() === '') return;
  let parsed: Record<string, unknown> | undefined;
  try {
    const v: unknown = JSON.parse(line);
    if (v && typeof v === 'object') parsed = v as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  if (!parsed) {
    log.warn({ proc: 'ml', pid, line }, 'child stderr');
    return;
  }
  const { level, msg, time: _time, pid: _pid, proc: _proc, hostname: _h, ...rest } = parsed;
  const method = LEVELS[typeof level === 'number' ? level : 30] ?? 'info';
  log[method]({ ...rest, proc: 'ml', pid }, typeof msg === 'string' ? msg : 'child log');
}
