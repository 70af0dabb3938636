// Starts a real tabagent-server process for a benchmark (any free port, the test run's model cache)
// and waits until its ML child serves; stop() sends SIGTERM and waits for the exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { HealthClient } from '@tabagent/common';
import { repoRoot, serverCli, sharedModelCache } from './paths.js';

/** A running server. */
export interface BenchServer {
  readonly proc: ChildProcess;
  readonly address: string;
  /** Base URL of the HTTP API (undefined with --no-http). */
  readonly httpUrl: string | undefined;
  stop(): Promise<void>;
}

/** Waits until the health service `service` reports SERVING. */
function waitServing(address: string, service: string, timeoutMs: number): Promise<void> {
  const health = new HealthClient(address);
  return new Promise<void>((resolve, reject) => {
    let stop = (): void => undefined;
    const timer = setTimeout(() => {
      stop();
      health.close();
      reject(new Error(`${service || 'server'} not SERVING within ${timeoutMs} ms`));
    }, timeoutMs);
    stop = health.watch(service, (s) => {
      if (s !== 'SERVING') return;
      clearTimeout(timer);
      stop();
      health.close();
      resolve();
    }, () => undefined);
  });
}

/**
 * Starts tabagent-server with `extraArgs` (after --mode all, --port 0, --log-level info and --cache-dir;
 * a later --mode wins) and `env` added to the environment; logs are read only to learn the port.
 */
export async function startBenchServer(extraArgs: readonly string[] = [], timeoutMs = 60_000, env: Readonly<Record<string, string>> = {}): Promise<BenchServer> {
  const args = [serverCli, '--mode', 'all', '--port', '0', '--http-port', '0', '--log-level', 'info', '--cache-dir', sharedModelCache(), ...extraArgs];
  const proc = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const tail: string[] = [];
  let httpUrl: string | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const onLine = (line: string): void => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (line.includes('"msg":"http listening"')) httpUrl = `http://127.0.0.1:${Number((JSON.parse(line) as { port: number }).port)}`;
      if (line.includes('"msg":"tabagent-server listening"')) resolve(Number((JSON.parse(line) as { port: number }).port));
    };
    createInterface({ input: proc.stdout! }).on('line', onLine);
    createInterface({ input: proc.stderr! }).on('line', onLine);
    proc.once('exit', (code) => reject(new Error(`tabagent-server exited with ${code}:\n${tail.join('\n')}`)));
  });
  const address = `127.0.0.1:${port}`;
  await waitServing(address, 'tabagent.ml', timeoutMs);
  return {
    proc, address,
    get httpUrl() {
      return httpUrl;
    },
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
}
