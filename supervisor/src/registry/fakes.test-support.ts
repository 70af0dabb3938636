// Test doubles for the model registry: an in-memory model cache and a fake child runtime whose
// loads the test can hold, fail or count. Used only by unit tests of the registry.
import { Device } from '@tabagent/protos/v1/common';
import type { ModelManifest, RuntimeLoadResponse, RuntimeStatusResponse } from '@tabagent/protos/v1/runtime';
import type { ChildRuntime, ChildRuntimeAccess } from '../child/child-runtime.js';
import type { PullOptions } from '../store/store.js';
import type { CatalogEntry, LocalManifest, Task } from '../store/core/types.js';
import type { ModelCache } from './supervisor-models.js';

/** A catalog of fake models, each `sizeBytes` big once pulled. */
export class FakeCache implements ModelCache {
  readonly #entries = new Map<string, CatalogEntry>();
  readonly #pulled = new Map<string, LocalManifest>();
  readonly #sizes = new Map<string, number>();
  /** Alias → canonical id (entry() answers an alias with its model's entry, as the catalog does). */
  readonly #aliases = new Map<string, string>();
  pulls = 0;

  add(id: string, task: Task, sizeBytes: number): this {
    this.#entries.set(id, { id, source: `file:${id}`, files: [{ path: 'model.onnx' }], task, runtime: 'onnxruntime' });
    this.#sizes.set(id, sizeBytes);
    return this;
  }

  alias(name: string, id: string): this {
    this.#aliases.set(name, id);
    return this;
  }

  entry(name: string): CatalogEntry {
    const id = this.#aliases.get(name) ?? name;
    const e = this.#entries.get(id);
    if (!e) throw Object.assign(new Error(`unknown model ${id}`), { code: 'TA_ERR_NOT_FOUND' });
    return e;
  }

  async list(): Promise<Array<{ entry: CatalogEntry; manifest: LocalManifest | undefined }>> {
    return [...this.#entries.values()].map((entry) => ({ entry, manifest: this.#pulled.get(entry.id) }));
  }

  async manifest(id: string): Promise<LocalManifest | undefined> {
    return this.#pulled.get(id);
  }

  async pull(id: string, _o?: PullOptions): Promise<LocalManifest> {
    const e = this.entry(id);
    this.pulls += 1;
    const size = this.#sizes.get(id) ?? 0;
    const m: LocalManifest = {
      schemaVersion: 1, id, source: e.source, revision: '1', task: e.task, runtime: e.runtime, params: {},
      files: [{ path: 'model.onnx', size, sha256: 'x' }], converted: [], origin: {}, pulledAt: '', dir: '',
    };
    this.#pulled.set(id, m);
    return m;
  }
}

/** A fake ML child: records calls; loads resolve at once unless held or failing. */
export class FakeRuntime implements ChildRuntime, ChildRuntimeAccess {
  readonly pid: number;
  readonly node: string;
  readonly loads: string[] = [];
  readonly unloads: string[] = [];
  /** Models whose load fails with this message. */
  readonly failing = new Map<string, string>();
  /** When set, loads wait for release(). */
  hold = false;
  available = true;
  readonly #held: Array<() => void> = [];

  constructor(pid = 4242, node = 'local') {
    this.pid = pid;
    this.node = node;
  }

  ready(): readonly ChildRuntime[] {
    return this.available ? [this] : [];
  }

  whenReady(): Promise<ChildRuntime> {
    if (this.available) return Promise.resolve(this);
    return Promise.reject(Object.assign(new Error('the ML process is restarting'), { code: 'TA_ERR_CHILD_UNAVAILABLE' }));
  }

  async load(manifest: ModelManifest): Promise<RuntimeLoadResponse> {
    this.loads.push(manifest.model);
    if (this.hold) await new Promise<void>((r) => this.#held.push(r));
    const fail = this.failing.get(manifest.model);
    if (fail !== undefined) throw new Error(fail);
    const size = manifest.files.reduce((s, f) => s + f.size, 0);
    return {
      model: manifest.model, device: Device.DEVICE_CPU, executionProvider: 'cpu', warnings: [],
      rssBefore: 1000, rssAfter: 1000 + size, loadMs: 5,
    };
  }

  /** Lets held loads finish. */
  release(): void {
    for (const r of this.#held.splice(0)) r();
  }

  async unload(model: string): Promise<void> {
    this.unloads.push(model);
  }

  async status(): Promise<RuntimeStatusResponse> {
    return { models: [], rssBytes: 0, heapUsedBytes: 0, gpuMemoryBytes: undefined, runtimeVersions: {}, availableProviders: ['cpu'], pid: this.pid, uptimeSeconds: 0, embedBatches: [] };
  }
}

/** Nodes n1..nN, each a FakeRuntime; the ones not `available` are not ready. */
export class FakeNodes implements ChildRuntimeAccess {
  readonly nodes: FakeRuntime[];
  constructor(n: number) {
    this.nodes = Array.from({ length: n }, (_, i) => new FakeRuntime(100 + i, `n${i + 1}`));
  }
  node(id: string): FakeRuntime {
    const n = this.nodes.find((x) => x.node === id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }
  ready(): ChildRuntime[] {
    return this.nodes.filter((n) => n.available);
  }
  async whenReady(): Promise<ChildRuntime> {
    const n = this.ready()[0];
    if (!n) throw Object.assign(new Error('no ML node ready'), { code: 'TA_ERR_CHILD_UNAVAILABLE' });
    return n;
  }
}
