// Command-line flags of bench:load (each with an environment fallback, like the server's flags).

/** What bench:load runs. */
export interface LoadArgs {
  readonly workloads: readonly string[];
  readonly levels: readonly number[];
  readonly windowMs: number;
  readonly maxWindows: number;
  readonly tolerance: number;
  /** New tokens per Generate / chat completion. */
  readonly tokens: number;
  /** --queue-size passed to the server (its default when undefined). */
  readonly queueSize: number | undefined;
  readonly json: string | undefined;
  readonly help: boolean;
}

/** Every workload bench:load knows, in the order they run. */
export const WORKLOADS = ['detect-shm', 'detect-inline', 'track', 'embed', 'generate', 'http-chat', 'http-embed'] as const;

export const LOAD_HELP = `npm run bench:load -- [flags]
  --workloads a,b     ${WORKLOADS.join(', ')} (default all; env TABAGENT_LOAD_WORKLOADS)
  --levels 1,2,4      concurrency levels (default 1,2,4,8,16; env TABAGENT_LOAD_LEVELS)
  --window-ms N       measurement window (default 1000; env TABAGENT_LOAD_WINDOW_MS)
  --max-windows N     windows per level at most, stable or not (default 4; env TABAGENT_LOAD_MAX_WINDOWS)
  --tolerance F       last 3 windows within ±F of their mean = stable (default 0.15; env TABAGENT_LOAD_TOLERANCE)
  --tokens N          new tokens per generation (default 32; env TABAGENT_LOAD_TOKENS)
  --queue-size N      the server's --queue-size (default: the server's; env TABAGENT_LOAD_QUEUE_SIZE)
  --json FILE         also write the results as JSON`;

/** `v` as a positive number (an integer when `integer`); throws naming `flag`. */
export function positive(flag: string, v: string, integer: boolean): number {
  const n = Number(v);
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new Error(`${flag} must be a positive ${integer ? 'integer' : 'number'}, got "${v}"`);
  return n;
}

/** `--flag value` / `--flag=value` pairs of `argv` and whether --help came; throws on a flag not in `known`. */
export function splitFlags(argv: readonly string[], known: readonly string[]): { flags: Map<string, string>; help: boolean } {
  const flags = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      help = true;
      continue;
    }
    const [name, inline] = a.split('=', 2) as [string, string | undefined];
    if (!name.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    flags.set(name, value);
  }
  for (const f of flags.keys()) if (!known.includes(f)) throw new Error(`unknown flag ${f} (see --help)`);
  return { flags, help };
}

/** Parses `argv` (flags after the script name) with `env` fallbacks; throws naming the bad flag. */
export function parseLoadArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): LoadArgs {
  const known = ['--workloads', '--levels', '--window-ms', '--max-windows', '--tolerance', '--tokens', '--queue-size', '--json'];
  const { flags, help } = splitFlags(argv, known);
  const get = (flag: string, envName: string): string | undefined => flags.get(flag) ?? env[envName];
  const list = (flag: string, envName: string, def: string): string[] => (get(flag, envName) ?? def).split(',').map((s) => s.trim()).filter(Boolean);
  const workloads = list('--workloads', 'TABAGENT_LOAD_WORKLOADS', WORKLOADS.join(','));
  for (const w of workloads) if (!(WORKLOADS as readonly string[]).includes(w)) throw new Error(`--workloads: unknown workload "${w}" (known: ${WORKLOADS.join(', ')})`);
  const queue = get('--queue-size', 'TABAGENT_LOAD_QUEUE_SIZE');
  return {
    workloads,
    levels: list('--levels', 'TABAGENT_LOAD_LEVELS', '1,2,4,8,16').map((v) => positive('--levels', v, true)),
    windowMs: positive('--window-ms', get('--window-ms', 'TABAGENT_LOAD_WINDOW_MS') ?? '1000', true),
    maxWindows: positive('--max-windows', get('--max-windows', 'TABAGENT_LOAD_MAX_WINDOWS') ?? '4', true),
    tolerance: positive('--tolerance', get('--tolerance', 'TABAGENT_LOAD_TOLERANCE') ?? '0.15', false),
    tokens: positive('--tokens', get('--tokens', 'TABAGENT_LOAD_TOKENS') ?? '32', true),
    queueSize: queue === undefined ? undefined : positive('--queue-size', queue, true),
    json: flags.get('--json'),
    help,
  };
}
