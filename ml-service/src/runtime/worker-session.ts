// An onnxruntime session that runs in worker threads. onnxruntime-node executes run() on the calling
// thread, so sessions awaited together on the main thread still run one after another; holistic's face
// and hand models become truly concurrent when given WorkerSessions. Implements the part of
// ort.InferenceSession the vision pipelines use (inputNames, outputNames, run, release).
// Idle workers are unreferenced: they never keep the process alive, only a run or release in flight does.

import { Worker } from 'node:worker_threads';
import type * as ort from 'onnxruntime-node';
import { EngineError } from '../errors/engine-error.js';
import type { RunSpan, SessionWorkerData, WireTensor, WorkerReply, WorkerRequest } from './session-worker.js';

export type { RunSpan } from './session-worker.js';

export interface WorkerSessionOptions {
  /** Worker threads, each with its own copy of the session; requests go to the least busy (default 1). */
  workers?: number;
  /** Session options of every worker's session (plain data); default: CPU with `intraOpNumThreads`. */
  sessionOptions?: ort.InferenceSession.SessionOptions;
  /** Intra-op threads per worker's session when `sessionOptions` is not given (default 1). */
  intraOpNumThreads?: number;
}

/** A worker died or reported a failure; `code` is stable for the error mapping. */
export class WorkerSessionError extends EngineError<'VISION_WORKER_FAILED'> {
  override readonly name = 'WorkerSessionError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('VISION_WORKER_FAILED', message, undefined, options);
  }
}

interface Pending {
  resolve(outputs: Record<string, WireTensor>): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
}

export class WorkerSession {
  private nextId = 1;
  private released = false;
  /** Called with the worker-side compute time of every successful run. */
  onRun: ((span: RunSpan) => void) | undefined;

  private constructor(
    private readonly slots: Slot[],
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
  ) {}

  /** Starts the workers and creates their sessions from the ONNX bytes. */
  static async create(model: Uint8Array, options: WorkerSessionOptions = {}): Promise<WorkerSession> {
    const count = options.workers ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`workers must be a positive integer, got ${count}`);
    const sessionOptions = options.sessionOptions ?? { intraOpNumThreads: options.intraOpNumThreads ?? 1, executionProviders: ['cpu'] };
    const data: SessionWorkerData = { model, options: sessionOptions };
    const started = await Promise.allSettled(Array.from({ length: count }, () => startWorker(data)));
    const ok = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(ok.map((s) => s.worker.terminate()));
      throw failed.reason instanceof Error ? failed.reason : new WorkerSessionError(String(failed.reason));
    }
    const first = ok[0]!;
    const session = new WorkerSession(ok.map((s) => ({ worker: s.worker, pending: new Map(), alive: true })), first.inputNames, first.outputNames);
    for (const slot of session.slots) {
      session.listen(slot);
      slot.worker.unref();
    }
    return session;
  }

  /** Whether runs can still be served: not released and at least one worker alive. */
  get alive(): boolean {
    return !this.released && this.slots.some((s) => s.alive);
  }

  /** Worker threads still running. */
  get liveWorkers(): number {
    return this.slots.filter((s) => s.alive).length;
  }

  /** Runs on the least busy worker. Inputs are copied, so their buffers may be reused at once. */
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, WireTensor>> {
    if (this.released) return Promise.reject(new WorkerSessionError('worker session was released'));
    const live = this.slots.filter((s) => s.alive);
    if (live.length === 0) return Promise.reject(new WorkerSessionError('every session worker has exited'));
    const slot = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const wire: Record<string, WireTensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      if (!(t.data instanceof Float32Array)) return Promise.reject(new WorkerSessionError(`input ${name} must be float32`));
      wire[name] = { data: t.data, dims: t.dims, type: t.type };
    }
    return new Promise((resolve, reject) => {
      const id = this.expect(slot, { resolve, reject });
      slot.worker.postMessage({ id, feeds: wire } satisfies WorkerRequest);
    });
  }

  /** Releases the sessions and stops the workers (idempotent); later runs fail with VISION_WORKER_FAILED. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.alive) {
          const done = new Promise<unknown>((resolve) => {
            const id = this.expect(slot, { resolve, reject: resolve });
            slot.worker.postMessage({ id, release: true } satisfies WorkerRequest);
          });
          const timer = setTimeout(() => failAll(slot, new WorkerSessionError('worker did not release in time')), 2000);
          await done;
          clearTimeout(timer);
        }
        await slot.worker.terminate();
        slot.alive = false;
        failAll(slot, new WorkerSessionError('worker session was released'));
      }),
    );
  }

  /** This object typed as the onnxruntime session the pipelines take. */
  asInferenceSession(): ort.InferenceSession {
    return this as unknown as ort.InferenceSession;
  }

  /** Registers a reply to wait for; the worker is referenced while any is pending. */
  private expect(slot: Slot, p: Pending): number {
    const id = this.nextId++;
    if (slot.pending.size === 0) slot.worker.ref();
    slot.pending.set(id, p);
    return id;
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (reply: WorkerReply) => {
      if (!('id' in reply) || reply.id === undefined) return;
      const p = slot.pending.get(reply.id);
      if (p === undefined) return;
      slot.pending.delete(reply.id);
      if (slot.pending.size === 0) slot.worker.unref();
      if ('outputs' in reply) {
        this.onRun?.(reply.span);
        p.resolve(reply.outputs);
      } else if ('released' in reply) p.resolve({});
      else if ('error' in reply) p.reject(new WorkerSessionError(reply.error));
    });
    slot.worker.on('error', (e) => {
      slot.alive = false;
      failAll(slot, new WorkerSessionError(`session worker failed: ${e.message}`));
    });
    slot.worker.on('exit', (code) => {
      slot.alive = false;
      if (!this.released) failAll(slot, new WorkerSessionError(`session worker exited with code ${code}`));
    });
  }
}

function failAll(slot: Slot, e: Error): void {
  for (const p of slot.pending.values()) p.reject(e);
  slot.pending.clear();
  slot.worker.unref();
}

function startWorker(data: SessionWorkerData): Promise<{ worker: Worker; inputNames: string[]; outputNames: string[] }> {
  const worker = new Worker(new URL('./session-worker.js', import.meta.url), { workerData: data });
  return new Promise((resolve, reject) => {
    const fail = (e: Error): void => {
      void worker.terminate();
      reject(new WorkerSessionError(e.message));
    };
    worker.once('error', fail);
    worker.once('message', (reply: WorkerReply) => {
      worker.off('error', fail);
      if ('ready' in reply) resolve({ worker, inputNames: [...reply.inputNames], outputNames: [...reply.outputNames] });
      else fail(new Error('error' in reply ? reply.error : 'unexpected first message from session worker'));
    });
  });
}
