// ChildRuntime: what the model registry needs from an ML child (load, unload, status, each with a
// deadline), and its implementation over the gRPC link. The registry's unit tests use a fake.
import type { ModelManifest, RuntimeLoadResponse, RuntimeStatusResponse } from '@tabagent/protos/v1/runtime';
import { callUnary } from './call.js';
import type { GrpcChildLink } from './child-link.js';

/** Node id of the ML child the supervisor spawns itself (mode all). */
export const LOCAL_NODE = 'local';

/** One ML child's model runtime. */
export interface ChildRuntime {
  /** The ML node it runs on: its address, or LOCAL_NODE for the spawned child. */
  readonly node: string;
  /** The child's process id (0 when it runs elsewhere or is unknown). */
  readonly pid: number;
  load(manifest: ModelManifest, deadline: Date): Promise<RuntimeLoadResponse>;
  unload(model: string, deadline: Date): Promise<void>;
  status(deadline: Date): Promise<RuntimeStatusResponse>;
}

/** How the registry reaches the ML nodes' runtimes. */
export interface ChildRuntimeAccess {
  /** Resolves with a ready node's runtime; rejects after timeoutMs or when every node is FAILED. */
  whenReady(timeoutMs: number): Promise<ChildRuntime>;
  /** The runtimes of every node that is ready now. */
  ready(): readonly ChildRuntime[];
}

/** ChildRuntime over one gRPC link. */
export class LinkChildRuntime implements ChildRuntime {
  readonly #link: GrpcChildLink;
  readonly pid: number;
  readonly node: string;

  constructor(link: GrpcChildLink, pid: number, node: string = LOCAL_NODE) {
    this.#link = link;
    this.pid = pid;
    this.node = node;
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
