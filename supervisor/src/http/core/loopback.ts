// The HTTP routes' way in: grpc-js clients of the supervisor's own public gRPC API on loopback,
// carrying the auth token, so HTTP calls share the gRPC path (auth, drain, model routing, queues,
// retry on child loss). Promise helpers give each call a deadline and cancel it on abort.
import { credentials, Metadata, type CallOptions, type Client, type ServiceError } from '@grpc/grpc-js';
import { SURFACE_KEY, grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient } from '@tabagent/protos/v1/model_management';
import { TextClient } from '@tabagent/protos/v1/text';
import { VisionClient } from '@tabagent/protos/v1/vision';

/** Clients of the public API. */
export class LoopbackClients {
  readonly models: ModelManagementClient;
  readonly text: TextClient;
  readonly vision: VisionClient;
  readonly #token: string;

  /** `privateAddress` (a plain-text unix socket of the same server) wins over host and port. */
  constructor(grpcHost: string, grpcPort: number, token: string, privateAddress?: string) {
    const host = grpcHost === '0.0.0.0' || grpcHost === '::' || grpcHost === '' ? '127.0.0.1' : grpcHost;
    const address = privateAddress ?? (host.includes(':') ? `[${host}]:${grpcPort}` : `${host}:${grpcPort}`);
    const creds = credentials.createInsecure();
    const opts = grpcChannelOptions();
    this.models = new ModelManagementClient(address, creds, opts);
    this.text = new TextClient(address, creds, opts);
    this.vision = new VisionClient(address, creds, opts);
    this.#token = token;
  }

  /** Metadata of one call: marked as coming from HTTP (for metrics), with the bearer token when auth is on. */
  metadata(): Metadata {
    const m = new Metadata();
    m.set(SURFACE_KEY, 'http');
    if (this.#token) m.set('authorization', `Bearer ${this.#token}`);
    return m;
  }

  close(): void {
    for (const c of [this.models, this.text, this.vision] as Client[]) c.close();
  }
}

type Unary<Req, Res> = (req: Req, meta: Metadata, opts: Partial<CallOptions>, cb: (e: ServiceError | null, r: Res) => void) => { cancel(): void };

/** Calls a unary method; rejects with the ServiceError; `signal` cancels the call. */
export function unaryCall<Req, Res>(
  lb: LoopbackClients, client: Client, fn: Unary<Req, Res>, req: Req, timeoutMs: number, signal?: AbortSignal,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const c = fn.call(client, req, lb.metadata(), { deadline: new Date(Date.now() + timeoutMs) }, (err, res) => {
      signal?.removeEventListener('abort', cancel);
      if (err) reject(err);
      else resolve(res);
    });
    const cancel = (): void => c.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
  });
}
