// What the child keeps for each loaded model: the manifest, runtime handles and accounting.
import type { Device } from '@tabagent/protos/v1/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { ModelCalls } from './model-calls.js';

/** A model loaded in this child. */
export interface LoadedModel {
  readonly manifest: ModelManifest;
  /** Parsed `manifest.paramsJson`. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly device: Device;
  readonly provider: string;
  readonly warnings: readonly string[];
  /** RSS delta measured around the load. */
  readonly memoryBytes: number;
  /** Runtime handle (e.g. onnxruntime sessions by file path, or a text model). */
  readonly handle: RuntimeHandle;
  /** Requests running on it now, and the drain an unload waits for. */
  readonly calls: ModelCalls;
}

/** A runtime-specific handle with an idempotent dispose. */
export interface RuntimeHandle {
  readonly kind: string;
  dispose(): Promise<void>;
}

/** Reads one model file through the supervisor. */
export type ReadModelFile = (path: string) => Promise<Uint8Array>;

/** Creates the handle of one runtime. */
export interface RuntimeLoader {
  readonly runtime: string;
  load(manifest: ModelManifest, params: Readonly<Record<string, unknown>>, readFile: ReadModelFile, plan: readonly string[], threads: number): Promise<{ handle: RuntimeHandle; provider: string; warnings: string[] }>;
}
