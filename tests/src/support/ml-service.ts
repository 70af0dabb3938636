// Starts `tabagent-server --mode ml` (the ML service on its own, as the attach mode uses it) and
// finds free loopback ports for tests that wire a supervisor to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { repoRoot, serverCli } from './paths.js';

/** A running ML service. */
export interface MlService {
  readonly proc: ChildProcess;
  /** The address it reported (port resolved). */
  readonly address: string;
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts the ML service with TABAGENT_ML_SECRET; resolves once it reports its address. */
export async function startMlService(opts: {
  secret: string; listen?: string; filesEndpoint?: string; extraArgs?: readonly string[];
  /** A command prefix that runs the process elsewhere (e.g. `ip netns exec NAME`); it must exec node. */
  wrap?: readonly string[];
}): Promise<MlService> {
  const args = [serverCli, '--mode', 'ml', '--ml-listen', opts.listen ?? '127.0.0.1:0', '--log-level', 'warn'];
  if (opts.filesEndpoint) args.push('--files-endpoint', opts.filesEndpoint);
  args.push(...(opts.extraArgs ?? []));
  const [cmd, ...pre] = [...(opts.wrap ?? []), process.execPath];
  const proc = spawn(cmd ?? process.execPath, [...pre, ...args], {
    cwd: repoRoot, env: { ...process.env, TABAGENT_ML_SECRET: opts.secret }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('ML service did not report its address')), 20_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as { event?: string; address?: string };
      if (m.event === 'listening' && m.address) {
        clearTimeout(t);
        resolve(m.address);
      }
    });
    proc.once('exit', (code) => reject(new Error(`ML service exited with ${code}`)));
  }).catch((err: unknown) => {
    // A start that failed leaves no process behind (an orphan would hold the test runner's pipes open).
    proc.kill('SIGKILL');
    throw err;
  });
  return { proc, address };
}
