// The supervisor's connection to one child: its health (watched, plus a liveness Check with a
// deadline) and the gRPC clients for Runtime, Vision and Text, all carrying the per-spawn secret.
import { credentials, Metadata, type CallOptions, type ChannelCredentials } from '@grpc/grpc-js';
import { HealthClient, SECRET_KEY, grpcLinkChannelOptions } from '@tabagent/common';
import { RuntimeClient } from '@tabagent/protos/v1/runtime';
import { TextClient } from '@tabagent/protos/v1/text';
import { VisionClient } from '@tabagent/protos/v1/vision';
import { healthStub } from './health-stub.js';

/** What the lifecycle needs from a connection (a fake implements it in unit tests). */
export interface ChildLink {
  readonly address: string;
  /** Watches the server's overall health; `onServing` runs on every change. Returns a stop function. */
  watchServing(onServing: (serving: boolean) => void): () => void;
  /** A liveness check with a deadline; resolves false on timeout or error. */
  check(timeoutMs: number): Promise<boolean>;
  close(): void;
}

/** Creates a link to a child at an address. */
export type ChildLinkFactory<L extends ChildLink> = (address: string, secret: string) => L;

/** The real gRPC link. */
export class GrpcChildLink implements ChildLink {
  readonly address: string;
  readonly runtime: RuntimeClient;
  readonly vision: VisionClient;
  readonly text: TextClient;
  readonly #health: HealthClient;
  readonly #secret: string;

  constructor(address: string, secret: string) {
    this.address = address;
    this.#secret = secret;
    const creds: ChannelCredentials = credentials.createInsecure();
    // The child's server receives with wide windows; the link must keep a narrow one (grpc-window.ts).
    const opts = { ...grpcLinkChannelOptions(), 'grpc.use_local_subchannel_pool': 1 };
    this.runtime = new RuntimeClient(address, creds, opts);
    this.vision = new VisionClient(address, creds, opts);
    this.text = new TextClient(address, creds, opts);
    this.#health = new HealthClient(address, healthStub(address));
  }

  /** Metadata carrying the secret, for every call to the child. */
  metadata(): Metadata {
    const m = new Metadata();
    m.set(SECRET_KEY, this.#secret);
    return m;
  }

  /** Call options with a deadline derived from a remaining budget. */
  callOptions(deadline?: Date): Partial<CallOptions> {
    return deadline ? { deadline } : {};
  }

  watchServing(onServing: (serving: boolean) => void): () => void {
    let stopped = false;
    let cancel = (): void => undefined;
    const begin = (): void => {
      cancel = this.#health.watch('', (s) => onServing(s === 'SERVING'), () => {
        if (stopped) return;
        onServing(false);
        // The stream ended (child going away or a transport blip): watch again shortly.
        setTimeout(() => !stopped && begin(), 200).unref();
      });
    };
    begin();
    return () => {
      stopped = true;
      cancel();
    };
  }

  async check(timeoutMs: number): Promise<boolean> {
    try {
      return (await this.#health.check('', timeoutMs)) === 'SERVING';
    } catch {
      return false;
    }
  }

  close(): void {
    this.#health.close();
    this.runtime.close();
    this.vision.close();
    this.text.close();
  }
}

/** Factory of real links. */
export const grpcChildLinkFactory: ChildLinkFactory<GrpcChildLink> = (address, secret) => new GrpcChildLink(address, secret);
