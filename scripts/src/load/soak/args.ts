// Command-line flags of soak (each with an environment fallback).

import { splitFlags } from '../args.js';

/** What the soak runs. */
export interface SoakArgs {
  readonly minutes: number;
  /** Seconds between SIGKILLs of the ML child. */
  readonly killEveryS: number;
  /** Seconds between printed RSS rows (RSS is sampled every 5 s). */
  readonly rowEveryS: number;
  /** Pause of each client between calls, so the soak leaves the machine some room. */
  readonly thinkMs: number;
  readonly json: string | undefined;
  readonly help: boolean;
}

export const SOAK_HELP = `npm run soak -- [flags]
  --minutes N        duration (default 10; env TABAGENT_SOAK_MINUTES)
  --kill-every N     seconds between SIGKILLs of the ML child (default 60; env TABAGENT_SOAK_KILL_EVERY)
  --row-every N      seconds between RSS rows (default 15; env TABAGENT_SOAK_ROW_EVERY)
  --think-ms N       pause of each client between calls (default 5; env TABAGENT_SOAK_THINK_MS)
  --json FILE        also write the rows, counts and targets as JSON`;

function nonNegative(flag: string, v: string): number {
  const n = Number(v);
  if (!(n >= 0) || !Number.isFinite(n)) throw new Error(`${flag} must be a number ≥ 0, got "${v}"`);
  return n;
}

/** Parses `argv` with `env` fallbacks; throws naming the bad flag. */
export function parseSoakArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): SoakArgs {
  const { flags, help } = splitFlags(argv, ['--minutes', '--kill-every', '--row-every', '--think-ms', '--json']);
  const num = (flag: string, envName: string, def: string): number => nonNegative(flag, flags.get(flag) ?? env[envName] ?? def);
  const minutes = num('--minutes', 'TABAGENT_SOAK_MINUTES', '10');
  const killEveryS = num('--kill-every', 'TABAGENT_SOAK_KILL_EVERY', '60');
  if (minutes <= 0) throw new Error('--minutes must be more than 0');
  if (killEveryS < 10) throw new Error('--kill-every must be at least 10 seconds (a child needs time to become ready)');
  return {
    minutes, killEveryS,
    rowEveryS: Math.max(5, num('--row-every', 'TABAGENT_SOAK_ROW_EVERY', '15')),
    thinkMs: num('--think-ms', 'TABAGENT_SOAK_THINK_MS', '5'),
    json: flags.get('--json'),
    help,
  };
}
