// A SpeechModel whose Whisper runs on a worker thread of its own (see speech-worker.ts): the ML
// child's event loop stays free while a transcription computes. The worker reads model files through
// this side's readFile (copied); samples go over by transfer. A worker that dies fails the calls it held with
// SPEECH_MODEL_LOAD_FAILED, and later calls the same way, so the model reports itself broken instead
// of hanging; dispose() is idempotent.

import { Worker } from 'node:worker_threads';
import type { ReadFile } from '../runtime/transformers-files.js';
import { SpeechError } from './errors.js';
import { fromWire, toWire, type FromSpeechWorker, type SpeechWorkerData, type ToSpeechWorker } from './speech-protocol.js';
import type { LoadSpeechModelOptions, SpeechModel, Transcript, TranscribeOptions } from './whisper.js';

interface Pending {
  resolve(t: Transcript): void;
  reject(e: Error): void;
}

/** Named states: loading (until the worker reports), ready, gone (disposed, failed or exited). */
type State = 'loading' | 'ready' | 'gone';

export class WorkerSpeechModel implements SpeechModel {
  #state: State = 'loading';
  #goneReason = '';
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  #loaded: { resolve: () => void; reject: (e: Error) => void } | undefined;

  private constructor(readonly id: string, private readonly worker: Worker, private readonly readFile: ReadFile) {
    worker.on('message', (m: FromSpeechWorker) => this.#onMessage(m));
    worker.on('error', (e) => this.#gone(`the speech worker failed: ${e.message}`));
    worker.on('exit', (code) => this.#gone(`the speech worker exited with code ${code}`));
  }

  /** Starts the worker and loads the model in it. */
  static async load(opts: LoadSpeechModelOptions): Promise<WorkerSpeechModel> {
    const started = performance.now();
    const data: SpeechWorkerData = {
      id: opts.id,
      ...(opts.device !== undefined ? { device: opts.device } : {}),
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(opts.dtype !== undefined ? { dtype: opts.dtype } : {}),
    };
    const model = new WorkerSpeechModel(opts.id, new Worker(new URL('./speech-worker.js', import.meta.url), { workerData: data }), opts.readFile);
    try {
      await new Promise<void>((resolve, reject) => (model.#loaded = { resolve, reject }));
    } catch (err) {
      await model.dispose();
      throw err;
    }
    model.worker.unref(); // an idle model never keeps the process alive
    opts.logger?.info({ model: opts.id, ms: Math.round(performance.now() - started), thread: 'worker' }, 'speech model loaded');
    return model;
  }

  transcribe(samples: Float32Array, options: TranscribeOptions): Promise<Transcript> {
    if (this.#state !== 'ready') return Promise.reject(new SpeechError('SPEECH_MODEL_LOAD_FAILED', `speech model ${this.id}: ${this.#goneReason || 'not loaded'}`));
    const id = this.#next++;
    if (this.#pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // The caller's samples are its own: send a copy when they share memory with anything else.
      const own = samples.byteOffset === 0 && samples.byteLength === samples.buffer.byteLength && samples.buffer instanceof ArrayBuffer;
      const sent = own ? samples : samples.slice();
      this.#post({ op: 'transcribe', id, samples: sent, options }, [sent.buffer as ArrayBuffer]);
    });
  }

  async dispose(): Promise<void> {
    this.#gone('disposed');
    await this.worker.terminate();
  }

  #post(m: ToSpeechWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  #onMessage(m: FromSpeechWorker): void {
    switch (m.op) {
      case 'read':
        void this.readFile(m.path).then(
          // Copied, not transferred: the reader may keep the bytes (a load retried on another device).
          (bytes) => this.#post({ op: 'file', rid: m.rid, bytes }),
          (err: unknown) => this.#post({ op: 'file-error', rid: m.rid, error: toWire(err) }),
        );
        return;
      case 'loaded':
        this.#state = 'ready';
        this.#loaded?.resolve();
        return;
      case 'load-failed':
        this.#loaded?.reject(fromWire(m.error));
        this.#gone(m.error.message);
        return;
      case 'result':
      case 'failed': {
        const p = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (this.#pending.size === 0) this.worker.unref();
        if (m.op === 'result') p?.resolve(m.transcript);
        else p?.reject(fromWire(m.error));
      }
    }
  }

  /** Fails what is waiting, once; later calls fail with the same reason. */
  #gone(reason: string): void {
    if (this.#state === 'gone') return;
    this.#state = 'gone';
    this.#goneReason = reason;
    const err = new SpeechError('SPEECH_MODEL_LOAD_FAILED', `speech model ${this.id}: ${reason}`);
    this.#loaded?.reject(err);
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}
