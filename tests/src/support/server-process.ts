// Starts `tabagent-server` as a real process on a free port for end-to-end tests (its HTTP API on
// another free port unless the test names one or turns it off), waits for grpc.health.v1 SERVING
// (watched), and stops it, checking that no process of its tree survives.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { HealthClient } from '@tabagent/common';
import { repoRoot, serverCli } from './paths.js';
import { childPidsOf, waitGone } from './processes.js';

/** A running server under test. */
export interface ServerUnderTest {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly address: string;
  /** Port of the HTTP API (from its "http listening" log line); undefined with --no-http. */
  readonly httpPort: number | undefined;
  readonly logs: string[];
  /** Resolves when a log line matches. */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Pid of the current ML child (from the process table). */
  childPids(): number[];
  /** SIGTERM (or another signal), then waits for exit; returns the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** Options of startServer. */
export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Wait for the ML child to be SERVING too (default true). */
  waitForChild?: boolean;
  timeoutMs?: number;
  /** The server speaks TLS (--tls-cert): wait for it with this CA certificate (PEM). */
  tlsCa?: Buffer;
}

/** Starts the server with a private cache folder unless --cache-dir is given. */
export async function startServer(opts: StartOptions = {}): Promise<ServerUnderTest> {
  const args = ['--port', '0', ...(opts.args ?? [])];
  // Many servers run at once: the HTTP API's default port (8080) would collide.
  const http = !args.includes('--no-http');
  if (http && !args.some((a) => a === '--http-port' || a.startsWith('--http-port='))) args.push('--http-port', '0');
  if (!args.includes('--cache-dir')) args.push('--cache-dir', sharedTestCache());
  const proc = spawn(process.execPath, [serverCli, ...args], {
    cwd: repoRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (v: Record<string, unknown>) => void }> = [];
  const onLine = (line: string): void => {
    logs.push(line);
    if (process.env['TABAGENT_TEST_LOGS']) process.stderr.write(`[server] ${line}\n`);
    for (const w of [...waiters]) {
      if (w.re.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          parsed = { line };
        }
        w.resolve(parsed);
      }
    }
  };
  createInterface({ input: proc.stderr! }).on('line', onLine);
  createInterface({ input: proc.stdout! }).on('line', onLine);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const waitForLog = (re: RegExp, timeoutMs = 30_000): Promise<Record<string, unknown>> => {
    const hit = logs.find((l) => re.test(l));
    if (hit) return Promise.resolve(JSON.parse(hit) as Record<string, unknown>);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for log ${re}; last logs:\n${logs.slice(-15).join('\n')}`)), timeoutMs);
      waiters.push({ re, resolve: (v) => { clearTimeout(t); resolve(v); } });
      void exited.then((code) => { clearTimeout(t); reject(new Error(`server exited (${code}) before log ${re}:\n${logs.slice(-15).join('\n')}`)); });
    });
  };
  let started: { port: number; address: string; httpPort: number | undefined };
  try {
    started = await waitStarted(opts, http, waitForLog);
  } catch (err) {
    // A server that did not start in time (a loaded machine) must not outlive the test holding its pipes.
    for (const p of [proc.pid!, ...childPidsOf(proc.pid!)]) {
      try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ }
    }
    throw err;
  }
  const { port, address, httpPort } = started;
  const pid = proc.pid!;
  return {
    proc, pid, port, address, httpPort, logs, waitForLog,
    childPids: () => childPidsOf(pid),
    stop: async (signal = 'SIGTERM', timeoutMs = 15_000) => {
      const tree = [pid, ...childPidsOf(pid)];
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const code = await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), timeoutMs).unref())]);
      await waitGone(tree, timeoutMs);
      return code;
    },
  };
}

/** Waits for the listening lines and SERVING (the server's, then the ML child's unless not asked). */
async function waitStarted(
  opts: StartOptions, http: boolean, waitForLog: (re: RegExp, timeoutMs?: number) => Promise<Record<string, unknown>>,
): Promise<{ port: number; address: string; httpPort: number | undefined }> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const listening = await waitForLog(/"msg":"tabagent-server listening"/, timeoutMs);
  const port = Number(listening['port']);
  const address = `127.0.0.1:${port}`;
  const httpPort = http ? Number((await waitForLog(/"msg":"http listening"/, timeoutMs))['port']) : undefined;
  const creds = opts.tlsCa ? credentials.createSsl(opts.tlsCa) : undefined;
  await waitServing(address, '', timeoutMs, creds);
  if (opts.waitForChild !== false) await waitServing(address, 'tabagent.ml', timeoutMs, creds);
  return { port, address, httpPort };
}

/** Waits until a health service reports SERVING (Watch, not polling). */
export function waitServing(address: string, service: string, timeoutMs: number, creds?: ChannelCredentials): Promise<void> {
  const client = new HealthClient(address, undefined, creds);
  return new Promise<void>((resolve, reject) => {
    let stop = (): void => undefined;
    const t = setTimeout(() => {
      stop();
      client.close();
      reject(new Error(`${service || 'server'} not SERVING within ${timeoutMs} ms`));
    }, timeoutMs);
    stop = client.watch(service, (s) => {
      if (s === 'SERVING') {
        clearTimeout(t);
        stop();
        client.close();
        resolve();
      }
    }, () => undefined);
  });
}

/** A model cache shared by the tests of one run (pulled models are reused across tests). */
export function sharedTestCache(): string {
  const dir = process.env['TABAGENT_TEST_CACHE'] ?? join(repoRoot, '.cache', 'test-model-cache');
  return dir;
}

/** A fresh empty folder. */
export function tempDir(prefix = 'tabagent-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
