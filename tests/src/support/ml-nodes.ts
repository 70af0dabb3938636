// ML nodes for end-to-end tests: `tabagent-server --mode ml` processes started on their own (as on
// other machines), a free loopback port, and a node's own Runtime.Status read with the shared secret.
import type { ChildProcess } from 'node:child_process';
import { credentials, Metadata } from '@grpc/grpc-js';
import { SECRET_KEY } from '@tabagent/common';
import { RuntimeClient, type RuntimeStatusResponse } from '@tabagent/protos/v1/runtime';
import { startMlService } from './ml-service.js';

export { freePort } from './ml-service.js';

/** Starts `tabagent-server --mode ml`; resolves with the process and the address it reported. */
export function startMl(listen: string, filesEndpoint: string, secret: string, extraArgs: readonly string[] = [], wrap: readonly string[] = []): Promise<{ proc: ChildProcess; address: string }> {
  return startMlService({ secret, listen, filesEndpoint, extraArgs, wrap });
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
