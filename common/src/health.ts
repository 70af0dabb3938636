// grpc.health.v1 for both processes: the server side is grpc-health-check's HealthImplementation
// (setStatus, Watch); the client side below watches a remote server instead of polling it.
import { credentials, makeGenericClientConstructor, Metadata, type ChannelCredentials, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { service as healthService, type ServingStatus } from 'grpc-health-check';

export { HealthImplementation, type ServingStatus } from 'grpc-health-check';

/** Service names reported on the health service, one per capability. */
export const HEALTH_SERVICES = Object.freeze({
  server: '',
  runtime: 'tabagent.v1.Runtime',
  vision: 'tabagent.v1.Vision',
  text: 'tabagent.v1.Text',
  modelManagement: 'tabagent.v1.ModelManagement',
  /** On the supervisor: whether its ML child is ready. */
  ml: 'tabagent.ml',
});

interface HealthResponse { status: ServingStatus | number }
interface HealthStub extends Client {
  check(req: { service: string }, meta: unknown, opts: unknown, cb: (e: ServiceError | null, r?: HealthResponse) => void): void;
  watch(req: { service: string }, meta?: unknown, opts?: unknown): ClientReadableStream<HealthResponse>;
}

const statusNames: readonly ServingStatus[] = ['UNKNOWN', 'SERVING', 'NOT_SERVING'];

function statusName(s: ServingStatus | number): ServingStatus | 'SERVICE_UNKNOWN' {
  if (typeof s === 'string') return s;
  return statusNames[s] ?? 'SERVICE_UNKNOWN';
}

/** A small client for grpc.health.v1 on a remote address. */
export class HealthClient {
  readonly #stub: HealthStub;

  /** `creds`: the channel's credentials (TLS for a server started with a certificate); plain text by default. */
  constructor(address: string, stub?: Client, creds?: ChannelCredentials) {
    const Ctor = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');
    this.#stub = (stub as HealthStub | undefined) ?? (new Ctor(address, creds ?? credentials.createInsecure()) as unknown as HealthStub);
  }

  /** One Check with a deadline. */
  check(service: string, timeoutMs: number): Promise<ServingStatus | 'SERVICE_UNKNOWN'> {
    return new Promise((resolve, reject) => {
      const deadline = new Date(Date.now() + timeoutMs);
      this.#stub.check({ service }, new Metadata(), { deadline }, (err, res) => {
        if (err) reject(err);
        else resolve(statusName(res?.status ?? 0));
      });
    });
  }

  /** Watches a service; `onStatus` runs on every change; returns a function that stops watching. */
  watch(service: string, onStatus: (s: ServingStatus | 'SERVICE_UNKNOWN') => void, onEnd: (err?: Error) => void): () => void {
    const call = this.#stub.watch({ service });
    call.on('data', (r: HealthResponse) => onStatus(statusName(r.status)));
    call.on('error', (e: Error) => onEnd(e));
    call.on('end', () => onEnd());
    return () => call.cancel();
  }

  /** Closes the channel. */
  close(): void {
    this.#stub.close();
  }
}
