// A `--mode ml` process for benchmarks that attach a supervisor to it (`--mode supervisor`): its
// loopback address, so a benchmark can also call it directly with the shared secret.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';
import { repoRoot, serverCli } from './paths.js';

/** Starts an ML node reading model files from `filesEndpoint`; resolves with its address. */
export async function startMlNode(filesEndpoint: string, secret: string, threads = 1): Promise<{ proc: ChildProcess; address: string }> {
  const args = [serverCli, '--mode', 'ml', '--ml-listen', '127.0.0.1:0', '--files-endpoint', filesEndpoint, '--threads', String(threads), '--log-level', 'warn'];
  const proc = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, TABAGENT_ML_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        const m = JSON.parse(line) as { event?: string; address?: string };
        if (m.event === 'listening' && m.address) resolve(m.address);
      } catch {
        // not a JSON line
      }
    });
    proc.once('exit', (code) => reject(new Error(`ML node exited with ${code}`)));
  });
  return { proc, address };
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
