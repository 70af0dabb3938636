// gRPC clients of the public API for tests, with promise helpers.
import { credentials, Metadata, type CallOptions, type Client, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { ModelManagementClient } from '@tabagent/protos/v1/model_management';
import { TextClient } from '@tabagent/protos/v1/text';
import { VisionClient } from '@tabagent/protos/v1/vision';

/** Clients of every public service at one address. */
export interface PublicClients {
  models: ModelManagementClient;
  vision: VisionClient;
  text: TextClient;
  close(): void;
}

/** Connects to a server. */
export function connect(address: string): PublicClients {
  const creds = credentials.createInsecure();
  const opts = grpcChannelOptions();
  const models = new ModelManagementClient(address, creds, opts);
  const vision = new VisionClient(address, creds, opts);
  const text = new TextClient(address, creds, opts);
  return { models, vision, text, close: () => [models, vision, text].forEach((c: Client) => c.close()) };
}

type Unary<Req, Res> = (req: Req, meta: Metadata, opts: Partial<CallOptions>, cb: (e: ServiceError | null, r: Res) => void) => unknown;

/** Calls a unary method as a promise (rejects with the ServiceError). */
export function call<Req, Res>(client: Client, fn: Unary<Req, Res>, req: Req, opts: { timeoutMs?: number; meta?: Metadata } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const deadline = new Date(Date.now() + (opts.timeoutMs ?? 60_000));
    fn.call(client, req, opts.meta ?? new Metadata(), { deadline }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** Awaits a promise that must reject with a gRPC error; returns it. */
export async function expectGrpcError(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (err) {
    return err as ServiceError;
  }
  throw new Error('expected the call to fail');
}
