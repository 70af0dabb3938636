// ChildRuntime: what the model registry needs from an ML child (load, unload, status, each with a
// deadline), and its implementation over the gRPC link. The registry's unit tests use a fake.
import type { ModelManifest, RuntimeLoadResponse, RuntimeStatusResponse } from '@tabagent/protos/v1/runtime';
import { callUnary } from './call.js';
import type { GrpcChildLink } from './child-link.js';

/** One ML child's model runtime. */
export interface ChildRuntime {
  /** The child's process id (0 when it runs elsewhere or is unknown). */
  readonly pid: number;
  load(manifest: ModelManifest, deadline: Date): Promise<RuntimeLoadResponse>;
  unload(model: string, deadline: Date): Promise<void>;
  status(deadline: Date): Promise<RuntimeStatusResponse>;
}

/** How the registry reaches the current child's runtime. */
export interface ChildRuntimeAccess {
  /** Resolves with the ready child's runtime; rejects after timeoutMs or when the child is FAILED. */
  whenReady(timeoutMs: number): Promise<ChildRuntime>;
}

/** ChildRuntime over one gRPC link. */
export class LinkChildRuntime implements ChildRuntime {
  readonly #link: GrpcChildLink;
  readonly pid: number;

  constructor(link: GrpcChildLink, pid: number) {
    this.#link = link;
    this.pid = pid;
  }

  load(manifest: ModelManifest, deadline: Date): Promise<RuntimeLoadResponse> {
    const rt = this.#link.runtime;
    return callUnary(rt.loadModel, rt, { manifest }, this.#link.metadata(), deadline);
  }

  async unload(model: string, deadline: Date): Promise<void> {
    const rt = this.#link.runtime;
    await callUnary(rt.unloadModel, rt, { model }, this.#link.metadata(), deadline);
  }

  status(deadline: Date): Promise<RuntimeStatusResponse> {
    const rt = this.#link.runtime;
    return callUnary(rt.status, rt, {}, this.#link.metadata(), deadline);
  }
}
