// ML nodes for end-to-end tests: `tabagent-server --mode ml` processes started on their own (as on
// other machines), a free loopback port, and a node's own Runtime.Status read with the shared secret.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { credentials, Metadata } from '@grpc/grpc-js';
import { SECRET_KEY } from '@tabagent/common';
import { RuntimeClient, type RuntimeStatusResponse } from '@tabagent/protos/v1/runtime';
import { repoRoot, serverCli } from './paths.js';

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

/** Starts `tabagent-server --mode ml`; resolves with the process and the address it reported. */
export async function startMl(listen: string, filesEndpoint: string, secret: string, extraArgs: readonly string[] = []): Promise<{ proc: ChildProcess; address: string }> {
  const proc = spawn(process.execPath, [serverCli, '--mode', 'ml', '--ml-listen', listen, '--files-endpoint', filesEndpoint, '--log-level', 'warn', ...extraArgs], {
    cwd: repoRoot, env: { ...process.env, TABAGENT_ML_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'],
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
  });
  return { proc, address };
}

/** A node's own Runtime.Status (what it has loaded and how many requests each model ran). */
export function nodeStatus(address: string, secret: string): Promise<RuntimeStatusResponse> {
  const client = new RuntimeClient(address, credentials.createInsecure());
  const meta = new Metadata();
  meta.set(SECRET_KEY, secret);
  return new Promise((resolve, reject) => {
    client.status({}, meta, { deadline: new Date(Date.now() + 10_000) }, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(res);
    });
  });
}

/** Requests a node's ML service ran on `model` since it was loaded there (0 when not loaded). */
export async function nodeRequests(address: string, secret: string, model: string): Promise<number> {
  const st = await nodeStatus(address, secret);
  return st.models.find((m) => m.model === model)?.requestsTotal ?? 0;
}
