// The supervisor's configuration: every flag has an env fallback and a help line (like TGI's
// launcher); parsing yields one frozen, typed object.
import { Command, Option, InvalidArgumentError } from 'commander';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { LOG_FORMATS, LOG_LEVELS, type LogFormatChoice } from '@tabagent/common';
import type { LevelWithSilent } from 'pino';
import { loadTlsFiles, type TlsFiles } from './tls.js';

/** Process mode. */
export type Mode = 'all' | 'ml' | 'supervisor';

/** How the supervisor forwards the public unary Vision calls to the ML nodes. */
export const FORWARDERS = ['pass-through', 'grpc-js'] as const;
export type Forwarder = (typeof FORWARDERS)[number];

/** The frozen configuration. */
export interface Config {
  readonly mode: Mode;
  readonly host: string;
  readonly port: number;
  /** HTTP API address (OpenAI-compatible routes, health, metrics). */
  readonly httpHost: string;
  /** HTTP API port (0 = any free port). */
  readonly httpPort: number;
  /** Whether the HTTP API is on (--no-http turns it off). */
  readonly http: boolean;
  /** The endpoint values as given (comma-separated in one string). */
  readonly mlEndpoint: string;
  /** Mode supervisor: the ML node targets (addresses and dns:///name:port), one item each. */
  readonly mlEndpoints: readonly string[];
  /** Mode supervisor: a file of more ML node targets (one a line), read again every resolve interval. */
  readonly mlEndpointsFile: string;
  /** Mode supervisor: how often DNS targets (and the endpoints file) are resolved again, in ms. */
  readonly mlResolveIntervalMs: number;
  /** DNS server ("IP:PORT") that resolves dns:/// targets; "" = the system resolver. */
  readonly mlDnsServer: string;
  readonly mlListen: string;
  readonly cacheDir: string;
  readonly catalogFile: string;
  /** Hugging Face hub endpoint for `hf:` sources (empty = the public hub). */
  readonly hfEndpoint: string;
  readonly sharedModelsDir: string;
  /** Folder of the shared-memory objects clients register (SharedMemory service). */
  readonly shmDir: string;
  /** Only callers with the bearer token may use SharedMemory (needs authToken). */
  readonly shmRequireAuth: boolean;
  readonly logLevel: LevelWithSilent;
  /** Log lines as JSON, pretty, or auto (pretty when stderr is a terminal). */
  readonly logFormat: LogFormatChoice;
  readonly threads: number;
  readonly authToken: string;
  /** Certificate and key of the public gRPC and HTTP listeners; undefined = plain text. */
  readonly tls: TlsFiles | undefined;
  readonly keepAliveSeconds: number;
  readonly maxLoadedModels: number;
  readonly memoryBudgetMb: number;
  readonly preload: readonly string[];
  readonly maxRestarts: number;
  readonly restartWindowSeconds: number;
  readonly restartRetrySeconds: number;
  readonly stableAfterMs: number;
  readonly hangTimeoutMs: number;
  readonly healthIntervalMs: number;
  readonly shutdownGraceMs: number;
  readonly startTimeoutMs: number;
  readonly queueSize: number;
  /** pass-through: unary Vision calls are relayed as HTTP/2 frames, unparsed by grpc-js; grpc-js: every call goes through grpc-js handlers. */
  readonly forwarder: Forwarder;
  readonly mlEntry: string;
  /** Mode supervisor/ml: where the ML service reads model files (the supervisor's public address). */
  readonly filesEndpoint: string;
  /** Shared secret between an attached ML service and its supervisor (env TABAGENT_ML_SECRET only). */
  readonly mlSecret: string;
}

/** Environment variable holding the secret shared by `--mode supervisor` and `--mode ml`. */
export const ML_SECRET_ENV = 'TABAGENT_ML_SECRET';

const int = (name: string, min: number) => (raw: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
  return n;
};

/** An "IP:PORT" or "[IPv6]:PORT" DNS server address (what dns.Resolver#setServers takes). */
const dnsServer = (raw: string): string => {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(raw.trim());
  const host = m?.[1] ?? m?.[2] ?? '';
  const port = Number(m?.[3]);
  if (!m || isIP(host) === 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidArgumentError('--ml-dns-server must be IP:PORT (e.g. 10.96.0.10:53 or [fd00::a]:53)');
  }
  return raw.trim();
};

/** Builds the commander program that defines every flag. */
export function buildCommand(): Command {
  const cmd = new Command('tabagent-server')
    .description('Serve real-time vision and language models over gRPC (supervisor + ML child).')
    .allowExcessArguments(false);
  const opt = (flags: string, help: string, env: string, def?: unknown, parse?: (v: string, prev: unknown) => unknown): void => {
    const o = new Option(flags, help).env(env);
    if (def !== undefined) o.default(def);
    if (parse) o.argParser(parse);
    cmd.addOption(o);
  };
  cmd.addOption(new Option('--mode <mode>', 'all: supervisor + spawned ML child; ml: the ML child alone; supervisor: attach to --ml-endpoint')
    .choices(['all', 'ml', 'supervisor']).default('all').env('TABAGENT_MODE'));
  opt('--host <host>', 'address of the public gRPC server', 'TABAGENT_HOST', '127.0.0.1');
  opt('--port <port>', 'port of the public gRPC server (0 = any free port)', 'TABAGENT_PORT', 50051, int('--port', 0));
  opt('--http-host <host>', 'address of the HTTP API (OpenAI-compatible routes, /healthz, /readyz)', 'TABAGENT_HTTP_HOST', '127.0.0.1');
  opt('--http-port <port>', 'port of the HTTP API (0 = any free port)', 'TABAGENT_HTTP_PORT', 8080, int('--http-port', 0));
  cmd.addOption(new Option('--no-http', 'turn the HTTP API off').env('TABAGENT_NO_HTTP'));
  opt('--ml-endpoint <addr>', 'mode supervisor: ML node(s) to attach to: HOST:PORT, dns:///NAME:PORT (every address the name resolves to, e.g. a headless Service; dns://IP[:PORT]/NAME:PORT asks that DNS server), comma-separated and/or repeated', 'TABAGENT_ML_ENDPOINT', '',
    (v: string, prev: unknown) => (prev ? `${String(prev)},${v}` : v));
  opt('--ml-endpoints-file <file>', 'mode supervisor: file of more ML node targets, one a line, read again every --ml-resolve-interval-ms', 'TABAGENT_ML_ENDPOINTS_FILE', '');
  opt('--ml-resolve-interval-ms <ms>', 'mode supervisor: interval of resolving dns:/// targets and reading the endpoints file again', 'TABAGENT_ML_RESOLVE_INTERVAL_MS', 5000, int('--ml-resolve-interval-ms', 100));
  opt('--ml-dns-server <ip:port>', 'mode supervisor: DNS server that resolves dns:/// targets (default: the system resolver, /etc/hosts included)', 'TABAGENT_ML_DNS_SERVER', '', dnsServer);
  opt('--ml-listen <addr>', 'where the ML service listens (mode ml): unix:/path.sock or HOST:PORT', 'TABAGENT_ML_LISTEN', '127.0.0.1:0');
  opt('--files-endpoint <addr>', `mode ml: public address of the supervisor whose ModelFiles serves the model files (both sides share ${ML_SECRET_ENV})`, 'TABAGENT_FILES_ENDPOINT', '');
  opt('--cache-dir <dir>', 'model cache folder', 'TABAGENT_CACHE_DIR', join(homedir(), '.cache', 'tabagent', 'models'));
  opt('--catalog <file>', 'JSON file with extra catalog entries', 'TABAGENT_CATALOG', '');
  opt('--hf-endpoint <url>', 'Hugging Face hub endpoint for hf: sources (default https://huggingface.co)', 'TABAGENT_HF_ENDPOINT', '');
  opt('--shared-models-dir <dir>', 'folder holding stories260K/ (registered as karpathy/stories260K when present)', 'TABAGENT_SHARED_MODELS_DIR', '');
  opt('--shm-dir <dir>', 'folder of the POSIX shared-memory objects clients may register for frames (SharedMemory service)', 'TABAGENT_SHM_DIR', '/dev/shm');
  cmd.addOption(new Option('--shm-require-auth', 'only callers presenting the --auth-token bearer token may register shared-memory regions (refuses to start without --auth-token)').env('TABAGENT_SHM_REQUIRE_AUTH'));
  cmd.addOption(new Option('--log-level <level>', 'log level').choices([...LOG_LEVELS]).default('info').env('TABAGENT_LOG_LEVEL'));
  cmd.addOption(new Option('--log-format <format>', 'log lines: json, pretty, or auto (pretty when stderr is a terminal, else JSON)').choices([...LOG_FORMATS]).default('auto').env('TABAGENT_LOG_FORMAT'));
  opt('--threads <n>', 'intra-op threads per model (0 = runtime default)', 'TABAGENT_THREADS', 0, int('--threads', 0));
  opt('--auth-token <token>', 'require "authorization: Bearer <token>" on public calls', 'TABAGENT_AUTH_TOKEN', '');
  opt('--tls-cert <file>', 'PEM certificate chain: the public gRPC and HTTP listeners speak TLS (needs --tls-key)', 'TABAGENT_TLS_CERT', '');
  opt('--tls-key <file>', 'PEM private key of --tls-cert', 'TABAGENT_TLS_KEY', '');
  opt('--keep-alive <seconds>', 'default keep-alive of loaded models (-1 = forever, 0 = unload when idle)', 'TABAGENT_KEEP_ALIVE', 300, int('--keep-alive', -1));
  opt('--max-loaded-models <n>', 'most models loaded at once on each ML node (0 = no limit); least recently used idle models on that node are evicted', 'TABAGENT_MAX_LOADED_MODELS', 0, int('--max-loaded-models', 0));
  opt('--memory-budget-mb <mb>', 'memory budget for the models loaded on each ML node, in MiB (0 = no limit)', 'TABAGENT_MEMORY_BUDGET_MB', 0, int('--memory-budget-mb', 0));
  opt('--preload <ids>', 'comma-separated model ids to load at start', 'TABAGENT_PRELOAD', '');
  opt('--max-restarts <n>', 'crash-loop limit: this many child failures within --restart-window mean FAILED', 'TABAGENT_MAX_RESTARTS', 5, int('--max-restarts', 1));
  opt('--restart-window <seconds>', 'window of the crash-loop limit', 'TABAGENT_RESTART_WINDOW', 60, int('--restart-window', 1));
  opt('--restart-retry <seconds>', 'after FAILED, try again after this long (0 = never)', 'TABAGENT_RESTART_RETRY', 300, int('--restart-retry', 0));
  opt('--stable-after-ms <ms>', 'a child ready this long counts as stable: its next restart starts again from the shortest delay', 'TABAGENT_STABLE_AFTER_MS', 10_000, int('--stable-after-ms', 0));
  opt('--hang-timeout-ms <ms>', 'a child that does not answer health checks this long is replaced', 'TABAGENT_HANG_TIMEOUT_MS', 5000, int('--hang-timeout-ms', 100));
  opt('--health-interval-ms <ms>', 'interval of the liveness Check on the child', 'TABAGENT_HEALTH_INTERVAL_MS', 1000, int('--health-interval-ms', 50));
  opt('--shutdown-grace-ms <ms>', 'on SIGTERM, drain in-flight work this long', 'TABAGENT_SHUTDOWN_GRACE_MS', 10_000, int('--shutdown-grace-ms', 0));
  opt('--start-timeout-ms <ms>', 'a child that does not report its address this long is killed', 'TABAGENT_START_TIMEOUT_MS', 20_000, int('--start-timeout-ms', 100));
  opt('--queue-size <n>', 'per-model queue of outstanding requests, per ML node holding the model; more are rejected with RESOURCE_EXHAUSTED', 'TABAGENT_QUEUE_SIZE', 64, int('--queue-size', 1));
  cmd.addOption(new Option('--forwarder <kind>', 'how unary Vision calls reach the ML node: pass-through (HTTP/2 frames relayed without grpc-js decoding them) or grpc-js (grpc-js handlers and clients on both hops)')
    .choices([...FORWARDERS]).default('pass-through').env('TABAGENT_FORWARDER'));
  opt('--ml-entry <file>', 'script run as the ML child (debugging; default the bundled ML service)', 'TABAGENT_ML_ENTRY', '');
  return cmd;
}

/** Parses argv (without node and script) into the frozen config. */
export function parseConfig(argv: readonly string[], repoRoot?: string, env: NodeJS.ProcessEnv = process.env): Config {
  const cmd = buildCommand().exitOverride();
  cmd.parse([...argv], { from: 'user' });
  const o = cmd.opts<Record<string, unknown>>();
  const mlSecret = env[ML_SECRET_ENV] ?? '';
  if (o['mode'] === 'supervisor') {
    if (!o['mlEndpoint'] && !o['mlEndpointsFile']) cmd.error('--mode supervisor needs --ml-endpoint (or TABAGENT_ML_ENDPOINT) or --ml-endpoints-file');
    if (!mlSecret) cmd.error(`--mode supervisor needs the shared secret in ${ML_SECRET_ENV}: ModelFiles is served on the public port in this mode`);
  }
  if (o['shmRequireAuth'] === true && !o['authToken']) {
    cmd.error('--shm-require-auth needs --auth-token (or TABAGENT_AUTH_TOKEN): without a token no caller is authenticated');
  }
  let tls: TlsFiles | undefined;
  try {
    tls = loadTlsFiles(o['tlsCert'] as string, o['tlsKey'] as string);
  } catch (err) {
    cmd.error((err as Error).message);
  }
  const shared = (o['sharedModelsDir'] as string) || (repoRoot ? resolve(repoRoot, '..', 'shared', 'models') : '');
  return Object.freeze({
    mode: o['mode'] as Mode,
    host: o['host'] as string,
    port: Number(o['port']),
    httpHost: o['httpHost'] as string,
    httpPort: Number(o['httpPort']),
    http: o['http'] !== false,
    mlEndpoint: o['mlEndpoint'] as string,
    mlEndpoints: Object.freeze(String(o['mlEndpoint'] ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
    mlEndpointsFile: o['mlEndpointsFile'] as string,
    mlResolveIntervalMs: Number(o['mlResolveIntervalMs']),
    mlDnsServer: o['mlDnsServer'] as string,
    mlListen: o['mlListen'] as string,
    cacheDir: resolve(o['cacheDir'] as string),
    catalogFile: o['catalog'] as string,
    hfEndpoint: o['hfEndpoint'] as string,
    sharedModelsDir: shared,
    shmDir: resolve(o['shmDir'] as string),
    shmRequireAuth: o['shmRequireAuth'] === true,
    logLevel: o['logLevel'] as LevelWithSilent,
    logFormat: o['logFormat'] as LogFormatChoice,
    threads: Number(o['threads']),
    authToken: o['authToken'] as string,
    tls,
    keepAliveSeconds: Number(o['keepAlive']),
    maxLoadedModels: Number(o['maxLoadedModels']),
    memoryBudgetMb: Number(o['memoryBudgetMb']),
    preload: Object.freeze(String(o['preload'] ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
    maxRestarts: Number(o['maxRestarts']),
    restartWindowSeconds: Number(o['restartWindow']),
    restartRetrySeconds: Number(o['restartRetry']),
    stableAfterMs: Number(o['stableAfterMs']),
    hangTimeoutMs: Number(o['hangTimeoutMs']),
    healthIntervalMs: Number(o['healthIntervalMs']),
    shutdownGraceMs: Number(o['shutdownGraceMs']),
    startTimeoutMs: Number(o['startTimeoutMs']),
    queueSize: Number(o['queueSize']),
    forwarder: o['forwarder'] as Forwarder,
    mlEntry: o['mlEntry'] as string,
    filesEndpoint: o['filesEndpoint'] as string,
    mlSecret,
  });
}
