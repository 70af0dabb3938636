// What every command gets: the resolved global options and lazily opened gRPC clients of the
// server's public API, with the bearer token (when one is given) sent on every call.
import { readFileSync } from 'node:fs';
import { credentials, Metadata, type CallOptions, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common/grpc-options'; // not the whole package (logger, health): start-up
import { ModelManagementClient } from '@tabagent/protos/v1/model_management';
import { SharedMemoryClient } from '@tabagent/protos/v1/shared_memory';
import { TextClient } from '@tabagent/protos/v1/text';
import { VisionClient } from '@tabagent/protos/v1/vision';
import { UsageError } from './exit.js';

/** The usage line of the global options a bad value is about. */
const USAGE = 'tabagent [--server HOST:PORT] [--token TOKEN] [--tls-ca FILE.pem] COMMAND ...';

/** Global options, after environment fallbacks. */
export interface GlobalOptions {
  /** gRPC address of tabagent-server (host:port). */
  server: string;
  /** HTTP address of the server's OpenAI-compatible API (accepted for later use). */
  http: string;
  /** Bearer token, empty when none. */
  token: string;
  /** ffmpeg binary, empty for the packaged one. */
  ffmpeg: string;
  /** PEM CA certificate to trust: the server speaks TLS (--tls-cert); empty = plain text. */
  tlsCa: string;
}

/** Defaults and the environment variables that override them. */
export const GLOBAL_DEFAULTS = Object.freeze({
  server: { env: 'TABAGENT_SERVER', value: '127.0.0.1:50051' },
  http: { env: 'TABAGENT_HTTP', value: '127.0.0.1:8080' },
  token: { env: 'TABAGENT_TOKEN', value: '' },
  tlsCa: { env: 'TABAGENT_TLS_CA', value: '' },
});

type Ctor<C> = new (address: string, creds: ChannelCredentials, options: object) => C;

/** The clients of one command run; `close()` closes those that were opened. */
export class Context {
  private readonly opened = new Map<string, Client>();
  private creds: ChannelCredentials | undefined;

  constructor(readonly options: GlobalOptions) {}

  get models(): ModelManagementClient { return this.client('models', ModelManagementClient); }
  get vision(): VisionClient { return this.client('vision', VisionClient); }
  get text(): TextClient { return this.client('text', TextClient); }
  get sharedMemory(): SharedMemoryClient { return this.client('shm', SharedMemoryClient); }

  /** Metadata of every call: the bearer token when one is set. */
  metadata(): Metadata {
    const meta = new Metadata();
    if (this.options.token) meta.set('authorization', `Bearer ${this.options.token}`);
    return meta;
  }

  /** Calls a unary method as a promise. */
  call<Req, Res>(client: Client, fn: Unary<Req, Res>, req: Req, timeoutMs = 600_000): Promise<Res> {
    return new Promise((resolve, reject) => {
      fn.call(client, req, this.metadata(), { deadline: new Date(Date.now() + timeoutMs) }, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }

  /** Whether the server runs on this machine (shared memory is then possible). */
  isLocal(): boolean {
    const host = this.options.server.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    return host === '127.0.0.1' || host === 'localhost' || host === '::1' || this.options.server.startsWith('unix:');
  }

  close(): void {
    for (const c of this.opened.values()) c.close();
    this.opened.clear();
  }

  /** TLS trusting --tls-ca when it is given, else plain text; an unreadable file is a clear error. */
  private channelCredentials(): ChannelCredentials {
    if (this.creds) return this.creds;
    const ca = this.options.tlsCa;
    if (!ca) return (this.creds = credentials.createInsecure());
    let pem: Buffer;
    try {
      pem = readFileSync(ca);
    } catch (err) {
      throw new UsageError(`--tls-ca: cannot read ${ca} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, USAGE);
    }
    return (this.creds = credentials.createSsl(pem));
  }

  private client<C extends Client>(key: string, ctor: Ctor<C>): C {
    let c = this.opened.get(key) as C | undefined;
    if (!c) {
      const creds = this.channelCredentials();
      try {
        c = new ctor(this.options.server, creds, grpcChannelOptions());
      } catch (err) {
        throw new UsageError(`--server: "${this.options.server}" is not a gRPC address (${(err as Error).message})`, USAGE);
      }
      this.opened.set(key, c);
    }
    return c;
  }
}

/** A unary grpc-js method. */
export type Unary<Req, Res> = (req: Req, meta: Metadata, opts: Partial<CallOptions>, cb: (e: ServiceError | null, r: Res) => void) => unknown;
