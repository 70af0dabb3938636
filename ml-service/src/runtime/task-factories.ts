// Task handle factories: the runtime loaders know runtimes (onnxruntime, transformers.js, tfjs), the
// task folders (text/, embeddings/, speech/) know what a task does with a loaded runtime. The
// child's entry injects one into the other, so runtime/ imports no task folder.

import type * as ort from 'onnxruntime-node';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { ReadModelFile, RuntimeHandle } from './loaded-model.js';

export type ModelParams = Readonly<Record<string, unknown>>;

/** What a loader hands back: the handle, the provider it ended up on and any warnings. */
export interface LoadedHandle {
  handle: RuntimeHandle;
  provider: string;
  warnings: string[];
}

/** Serves an ONNX model as a task handle instead of bare sessions (e.g. a sentence encoder). */
export interface OnnxTaskFactory {
  /** Whether this factory serves the model (e.g. an embedding model whose params name a vocabulary). */
  accepts(manifest: ModelManifest, params: ModelParams): boolean;
  /** Builds the handle on sessions the loader created; on failure the loader releases them. */
  create(model: string, sessions: readonly ort.InferenceSession[], params: ModelParams, readFile: ReadModelFile): Promise<RuntimeHandle>;
}

/** Options every transformers.js task load gets (`threads` already folds in the model's params.threads). */
export interface TransformersTaskOptions {
  id: string;
  readFile: ReadModelFile;
  device: 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
  threads?: number;
}

/** Loads one transformers.js task model on one device. */
export type TransformersTaskFactory = (options: TransformersTaskOptions, params: ModelParams) => Promise<RuntimeHandle>;

/** Loads one tfjs task model (the factory picks its backend and reports it as the provider). */
export type TfjsTaskFactory = (manifest: ModelManifest, params: ModelParams, readFile: ReadModelFile) => Promise<LoadedHandle>;

/** Task name (manifest.task) → factory. */
export type TaskFactories<F> = Readonly<Partial<Record<string, F>>>;

/** A non-empty string parameter, else undefined. */
export function stringParam(params: ModelParams, key: string): string | undefined {
  const v = params[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
