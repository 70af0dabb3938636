// Loads ONNX models on onnxruntime-node from bytes fetched through the supervisor, choosing the
// execution provider with fallback to CPU.
import ort from 'onnxruntime-node';
import { TabagentError } from '@tabagent/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import { mapEngineErrors } from '../errors/engine-errors.js';
import type { ReadModelFile, RuntimeHandle, RuntimeLoader } from './loaded-model.js';
import { withProviderFallback } from './providers.js';
import type { OnnxTaskFactory } from './task-factories.js';

/** How the sessions of a handle were made: their files, provider and threads (to make more alike). */
export interface OnnxSource {
  /** Paths of the ONNX files the sessions were created from. */
  readonly paths: readonly string[];
  /** Reads one of them again (the bytes are not kept: most models never need a second session). */
  read(path: string): Promise<Uint8Array>;
  /** Execution provider the sessions run on (after any fallback). */
  readonly provider: string;
  /** Intra-op threads asked for (0 = runtime default). */
  readonly threads: number;
}

/** The sessions of one ONNX model, keyed by file path. */
export class OnnxHandle implements RuntimeHandle {
  readonly kind = 'onnx';
  readonly sessions: ReadonlyMap<string, ort.InferenceSession>;
  /** Where the sessions came from, when known: lets pipelines start extra sessions (e.g. on worker threads). */
  readonly source: OnnxSource | undefined;
  #disposed = false;
  /** Objects built on the sessions (pipelines, worker-thread sessions) that must be disposed with them. */
  readonly attachments = new Map<string, { dispose(): void | Promise<void> }>();

  constructor(sessions: Map<string, ort.InferenceSession>, source?: OnnxSource) {
    this.sessions = sessions;
    this.source = source;
  }

  /** The first (or only) session. */
  get main(): ort.InferenceSession {
    const first = this.sessions.values().next();
    if (first.done) throw new TabagentError('TA_ERR_INTERNAL', 'model has no ONNX session');
    return first.value;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const a of this.attachments.values()) await a.dispose();
    this.attachments.clear();
    for (const s of this.sessions.values()) await s.release();
  }
}

/** Session options for a provider. */
export function sessionOptions(provider: string, threads: number): ort.InferenceSession.SessionOptions {
  const opts: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // Idle intra-op threads sleep instead of spinning: a pipeline alternates several sessions, and
    // spinning pools of one session starve the next (measured ~25% faster face mesh and hands).
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  if (threads > 0) opts.intraOpNumThreads = threads;
  return opts;
}

/** Loader for runtime "onnxruntime": bare sessions, or the handle of the first task factory that accepts the model. */
export function createOnnxLoader(tasks: readonly OnnxTaskFactory[] = []): RuntimeLoader {
  return {
    runtime: 'onnxruntime',
    async load(manifest: ModelManifest, params, readFile: ReadModelFile, plan, threads) {
      const onnxFiles = manifest.files.filter((f) => f.path.endsWith('.onnx'));
      if (onnxFiles.length === 0) {
        throw new TabagentError('TA_ERR_MODEL_LOAD_FAILED', `model "${manifest.model}" lists no .onnx file`);
      }
      const bytes = new Map<string, Uint8Array>();
      for (const f of onnxFiles) bytes.set(f.path, await readFile(f.path));
      const choice = await withProviderFallback(plan, async (provider) => {
        const sessions = new Map<string, ort.InferenceSession>();
        try {
          for (const [path, data] of bytes) sessions.set(path, await ort.InferenceSession.create(data, sessionOptions(provider, threads)));
        } catch (err) {
          for (const s of sessions.values()) await s.release();
          throw err;
        }
        return sessions;
      });
      const task = tasks.find((t) => t.accepts(manifest, params));
      if (task !== undefined) {
        const sessions = [...choice.value.values()];
        const handle = await mapEngineErrors(task.create(manifest.model, sessions, params, readFile)).catch(async (err: unknown) => {
          for (const s of sessions) await s.release();
          throw err;
        });
        return { handle, provider: choice.provider, warnings: choice.warnings };
      }
      const source: OnnxSource = { paths: [...bytes.keys()], read: (path) => readFile(path), provider: choice.provider, threads };
      return { handle: new OnnxHandle(choice.value, source), provider: choice.provider, warnings: choice.warnings };
    },
  };
}
