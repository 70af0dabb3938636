// A gRPC client that sends and receives raw bytes on any method path: fuzzing sends what no
// generated client would (truncated or random protobuf, wrong wire types).
import { credentials, Client, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';

/** What a call ended with. */
export interface RawOutcome {
  code: status;
  details: string;
  /** The x-tabagent-error-code trailer, when present. */
  errorCode?: string;
  /** Response messages (one for unary calls). */
  messages: Buffer[];
}

const identity = (b: Buffer): Buffer => b;

export class RawClient {
  readonly #client: Client;

  constructor(address: string) {
    this.#client = new Client(address, credentials.createInsecure(), grpcChannelOptions());
  }

  /** One unary call of `path` (e.g. "/tabagent.v1.Vision/DetectFaces") with `body` as the request bytes. */
  unary(path: string, body: Uint8Array, timeoutMs = 30_000, meta = new Metadata()): Promise<RawOutcome> {
    return new Promise((resolve) => {
      this.#client.makeUnaryRequest(path, identity, identity, Buffer.from(body), meta, { deadline: Date.now() + timeoutMs },
        (err: ServiceError | null, res?: Buffer) => resolve(err ? outcomeOf(err, []) : { code: status.OK, details: '', messages: res ? [res] : [] }));
    });
  }

  /** A server-streaming call, read to its end. */
  serverStream(path: string, body: Uint8Array, timeoutMs = 30_000): Promise<RawOutcome> {
    return new Promise((resolve) => {
      const messages: Buffer[] = [];
      const call = this.#client.makeServerStreamRequest(path, identity, identity, Buffer.from(body), new Metadata(), { deadline: Date.now() + timeoutMs });
      call.on('data', (b: Buffer) => messages.push(b));
      call.on('error', (err: ServiceError) => resolve(outcomeOf(err, messages)));
      call.on('end', () => resolve({ code: status.OK, details: '', messages }));
    });
  }

  close(): void {
    this.#client.close();
  }
}

function outcomeOf(err: ServiceError, messages: Buffer[]): RawOutcome {
  const code = err.metadata?.get('x-tabagent-error-code')[0];
  return { code: err.code, details: err.details, messages, ...(typeof code === 'string' ? { errorCode: code } : {}) };
}
