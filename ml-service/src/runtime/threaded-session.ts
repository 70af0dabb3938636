// The session holistic's face and hand parts run on in the service: a WorkerSession started from the
// model's ONNX bytes on first use (so the parts infer in parallel), standing in for the model's
// in-process session. Until the workers are ready (a few hundred ms), and if they cannot start or have
// died, runs go to the in-process session; `fallbackReason` says why. Disposed with the model that
// owns it (idempotent).

import type * as ort from 'onnxruntime-node';
import { VisionError } from '../vision/errors.js';
import type { RunSpan, WorkerSessionOptions } from './worker-session.js';
import { WorkerSession } from './worker-session.js';

export class ThreadedSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Why runs went to the in-process session, once they do. */
  fallbackReason: string | undefined;
  /** Told the fallback reason once, when runs first go to the in-process session for good. */
  onFallback: ((reason: string) => void) | undefined;
  /** Called with the worker-side compute time of every run on a worker. */
  onRun: ((span: RunSpan) => void) | undefined;
  #workers: Promise<WorkerSession | undefined> | undefined;
  #started: WorkerSession | undefined;
  #disposed = false;

  constructor(
    private readonly local: ort.InferenceSession,
    /** The model's ONNX bytes, or how to read them again when the workers start. */
    private readonly model: Uint8Array | (() => Promise<Uint8Array>),
    private readonly options: WorkerSessionOptions,
  ) {
    this.inputNames = local.inputNames;
    this.outputNames = local.outputNames;
  }

  /** Starts the workers (once); resolves with whether runs will go to them. */
  async start(): Promise<boolean> {
    const model = this.model;
    this.#workers ??= (typeof model === 'function' ? model() : Promise.resolve(model)).then((bytes) => WorkerSession.create(bytes, this.options)).then(
      (w) => {
        w.onRun = (span) => this.onRun?.(span);
        this.#started = w;
        if (!this.#disposed) return w;
        void w.release();
        return undefined;
      },
      (e: unknown) => {
        this.#fallBack(`worker threads did not start: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      },
    );
    const w = await this.#workers;
    return w !== undefined && w.alive;
  }

  /** Worker threads running now (0 before the first run, after a fallback and after dispose). */
  get liveWorkers(): number {
    return this.#started?.liveWorkers ?? 0;
  }

  /** Runs on a worker once they are ready; before that (they start in the background) in process. */
  async run(feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
    if (this.#disposed) throw new VisionError('VISION_DISPOSED', 'the model was unloaded');
    const w = this.#started;
    if (w !== undefined && w.alive) return (await w.run(feeds)) as unknown as ort.InferenceSession.ReturnType;
    if (w === undefined) void this.start();
    else this.#fallBack('every worker thread has exited');
    return this.local.run(feeds);
  }

  /** Stops the workers; the in-process session stays owned by its model. Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const w = await this.#workers;
    await w?.release();
  }

  #fallBack(reason: string): void {
    if (this.fallbackReason !== undefined) return;
    this.fallbackReason = reason;
    this.onFallback?.(reason);
  }

  /** This object typed as the onnxruntime session the pipelines take. */
  asInferenceSession(): ort.InferenceSession {
    return this as unknown as ort.InferenceSession;
  }
}
