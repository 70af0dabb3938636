// The store's one door to @tabagent/converters: registers every converter with the model store and
// runs each conversion on a worker thread, so the supervisor's event loop keeps answering while a
// model converts. The worker asks this side for each source file (read through the store's checked
// paths), progress and debug lines come back as messages, errors keep their class and code across
// the thread boundary, and a cancelled pull terminates the worker.

import { Worker } from 'node:worker_threads';
import {
  CONVERTERS, conversionWorkerUrl, deserializeError, isConverterKind, ownedBytes, serializeError,
  type ConversionJob, type HostMessage, type WorkerMessage,
} from '@tabagent/converters';
import type { Logger } from 'pino';
import { cancelledError } from './core/errors.js';
import type { ModelStore } from './store.js';
import { CONVERT_KINDS, type ConvertKind, type ConverterFn, type ConverterInput } from './core/types.js';

/** Where a conversion thread is: converting, or finished one of three ways. */
export type ConversionState = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One conversion on its own worker thread. */
export class ConversionThread {
  readonly #worker: Worker;
  readonly #input: ConverterInput;
  readonly #log: Logger | undefined;
  /** Errors of file requests, kept so the conversion fails with the original error object. */
  readonly #readErrors = new Map<number, unknown>();
  readonly #result: Promise<Map<string, Uint8Array>>;
  readonly #exited: Promise<number>;
  readonly #onAbort = (): void => this.#finish('cancelled', cancelledError(`conversion of ${this.#input.entry.id}`, this.#input.signal));
  #state: ConversionState = 'running';
  #settle: { resolve: (files: Map<string, Uint8Array>) => void; reject: (err: unknown) => void } | undefined;

  constructor(job: ConversionJob, input: ConverterInput, log?: Logger) {
    this.#input = input;
    this.#log = log;
    this.#result = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    this.#worker = new Worker(conversionWorkerUrl(), { workerData: job });
    this.#exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    this.#worker.on('message', (m: WorkerMessage) => this.#onMessage(m));
    this.#worker.on('error', (err) => this.#finish('failed', err));
    void this.#exited.then((code) => this.#finish('failed', new Error(`the conversion worker exited (code ${code}) before it finished`)));
    if (input.signal.aborted) this.#onAbort();
    else input.signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  get state(): ConversionState {
    return this.#state;
  }

  /** The outputs, or the conversion's error (STORE_CANCELLED when its signal aborted). */
  get result(): Promise<Map<string, Uint8Array>> {
    return this.#result;
  }

  /** Resolves with the worker's exit code once its thread is gone. */
  get exited(): Promise<number> {
    return this.#exited;
  }

  #onMessage(m: WorkerMessage): void {
    if (this.#state !== 'running') return;
    switch (m.type) {
      case 'read':
        void this.#serveRead(m.request, m.path);
        return;
      case 'progress':
        this.#input.onProgress(m.fraction);
        return;
      case 'log':
        this.#log?.debug(m.fields, m.msg);
        return;
      case 'done':
        this.#finish('succeeded', undefined, new Map(m.files));
        return;
      case 'failed': {
        const original = m.error.readRequest !== undefined ? this.#readErrors.get(m.error.readRequest) : undefined;
        this.#finish('failed', original ?? deserializeError(m.error));
        return;
      }
    }
  }

  async #serveRead(request: number, path: string): Promise<void> {
    let answer: HostMessage;
    let transfer: ArrayBuffer[] = [];
    try {
      const bytes = ownedBytes(await this.#input.readFile(path));
      answer = { type: 'file', request, bytes };
      transfer = [bytes.buffer as ArrayBuffer];
    } catch (err) {
      this.#readErrors.set(request, err);
      answer = { type: 'file-error', request, error: serializeError(err, request) };
    }
    if (this.#state === 'running') this.#worker.postMessage(answer, transfer);
  }

  #finish(state: Exclude<ConversionState, 'running'>, err: unknown, files?: Map<string, Uint8Array>): void {
    if (this.#state !== 'running') return;
    this.#state = state;
    this.#input.signal.removeEventListener('abort', this.#onAbort);
    void this.#worker.terminate();
    if (files !== undefined) this.#settle?.resolve(files);
    else this.#settle?.reject(err);
  }
}

/** A store converter that runs `kind` on a worker thread per conversion. */
export function threadedConverter(kind: ConvertKind, log?: Logger): ConverterFn {
  if (!isConverterKind(kind)) throw new Error(`no converter for ${kind}`);
  return (input) => {
    const job: ConversionJob = { kind, id: input.entry.id, files: input.files, params: input.entry.params ?? {} };
    return new ConversionThread(job, input, log).result;
  };
}

/** Registers every converter of this build with the store, each with the version of its outputs. */
export function registerConverters(store: ModelStore, log?: Logger): void {
  for (const kind of CONVERT_KINDS) {
    if (!isConverterKind(kind)) throw new Error(`no converter for ${kind}`);
    store.registerConverter(kind, threadedConverter(kind, log), { version: CONVERTERS[kind].version });
  }
}
