// Command-line flags of bench:http (each with an environment fallback, like the server's flags).
import { positive, splitFlags } from './load/args.js';
import type { HttpClientKind } from './load/workloads/http.js';

/** The comparisons of bench:http. */
export type HttpBenchPart = 'embeddings' | 'chat';
const PARTS: readonly HttpBenchPart[] = ['embeddings', 'chat'];

/** What bench:http runs. */
export interface HttpBenchArgs {
  /** Measured seconds per workload and concurrency level (split into rounds). */
  readonly seconds: number;
  readonly levels: readonly number[];
  /** Rounds each level's time is cut into; every round runs HTTP and gRPC once each. */
  readonly rounds: number;
  /** Maximum new tokens per chat reply. */
  readonly tokens: number;
  /** Which comparisons run: embeddings, chat, or both. */
  readonly only: readonly HttpBenchPart[];
  /** The client of the HTTP embeddings requests. */
  readonly httpClient: HttpClientKind;
  readonly help: boolean;
}

export const HTTP_BENCH_HELP = `npm run bench:http -- [flags]
  --seconds N   measured seconds per workload and level (default 6; env TABAGENT_BENCH_HTTP_SECONDS)
  --levels 1,16 concurrency levels (default 1,16; env TABAGENT_BENCH_HTTP_LEVELS)
  --rounds N    rounds per level, HTTP and gRPC alternating (default 3; env TABAGENT_BENCH_HTTP_ROUNDS)
  --tokens N    maximum new tokens per chat reply (default 64; env TABAGENT_BENCH_HTTP_TOKENS)
  --only LIST   comparisons to run: embeddings, chat or both (default embeddings,chat; env TABAGENT_BENCH_HTTP_ONLY)
  --http-client keepalive|fetch  client of the HTTP calls: a node:http keep-alive Agent, or
                Node's global fetch, which costs the client more CPU per call on the cores the server
                shares (default keepalive; env TABAGENT_BENCH_HTTP_CLIENT)`;

/** Parses `argv` (flags after the script name) with `env` fallbacks; throws naming the bad flag. */
export function parseHttpBenchArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): HttpBenchArgs {
  const { flags, help } = splitFlags(argv, ['--seconds', '--levels', '--rounds', '--tokens', '--only', '--http-client']);
  const get = (flag: string, envName: string, def: string): string => flags.get(flag) ?? env[envName] ?? def;
  const levels = get('--levels', 'TABAGENT_BENCH_HTTP_LEVELS', '1,16').split(',').map((s) => s.trim()).filter(Boolean);
  if (levels.length === 0) throw new Error('--levels needs at least one concurrency level');
  const only = get('--only', 'TABAGENT_BENCH_HTTP_ONLY', PARTS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  const bad = only.find((p) => !(PARTS as readonly string[]).includes(p));
  if (bad !== undefined) throw new Error(`--only takes ${PARTS.join(' and/or ')}, got "${bad}"`);
  if (only.length === 0) throw new Error('--only needs at least one of embeddings, chat');
  const httpClient = get('--http-client', 'TABAGENT_BENCH_HTTP_CLIENT', 'keepalive');
  if (httpClient !== 'keepalive' && httpClient !== 'fetch') throw new Error(`--http-client takes keepalive or fetch, got "${httpClient}"`);
  return {
    seconds: positive('--seconds', get('--seconds', 'TABAGENT_BENCH_HTTP_SECONDS', '6'), false),
    levels: levels.map((v) => positive('--levels', v, true)),
    rounds: positive('--rounds', get('--rounds', 'TABAGENT_BENCH_HTTP_ROUNDS', '3'), true),
    tokens: positive('--tokens', get('--tokens', 'TABAGENT_BENCH_HTTP_TOKENS', '64'), true),
    only: PARTS.filter((p) => only.includes(p)),
    httpClient,
    help,
  };
}
