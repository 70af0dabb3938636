// Assembles a model file from its chunks and computes its sha256. Big files are assembled on a
// worker thread: the main thread only hands each received chunk over (by transfer when the chunk
// owns its memory, so no copy), leaving it free to read the next chunks off the socket; the worker
// copies into the final buffer, hashes, and transfers the buffer back. Small files are assembled
// in place (a worker round trip would cost more than it saves).

import { createHash, type Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { AssemblerReply, AssemblerRequest } from './assembler-worker.js';

/** Files at least this big go through the worker. */
export const WORKER_MIN_BYTES = 4 << 20;
/** Chunks at least this big are transferred instead of copied (when they own their memory). */
const TRANSFER_MIN_BYTES = 64 << 10;

/** A file being assembled. Push chunks in order; then finish (or abort). */
export interface Assembly {
  push(data: Uint8Array): void;
  finish(): Promise<{ bytes: Uint8Array; sha256: string }>;
  abort(): void;
}

/** True when `data` is (nearly) all of its ArrayBuffer, so transferring it detaches nothing else. */
function ownsItsMemory(data: Uint8Array): boolean {
  const buf = data.buffer;
  return buf instanceof ArrayBuffer && data.byteLength >= TRANSFER_MIN_BYTES && buf.byteLength - data.byteLength <= 4096;
}

class InPlaceAssembly implements Assembly {
  readonly #bytes: Uint8Array;
  readonly #hash: Hash = createHash('sha256');
  #next = 0;

  constructor(total: number) {
    this.#bytes = new Uint8Array(total);
  }

  push(data: Uint8Array): void {
    this.#bytes.set(data, this.#next);
    this.#hash.update(data);
    this.#next += data.length;
  }

  finish(): Promise<{ bytes: Uint8Array; sha256: string }> {
    return Promise.resolve({ bytes: this.#bytes, sha256: this.#hash.digest('hex') });
  }

  abort(): void {
    // nothing held but memory
  }
}

interface Waiter {
  readonly worker: Worker;
  resolve(r: { bytes: Uint8Array; sha256: string }): void;
  reject(e: Error): void;
}

/** Starts assemblies; owns one lazily started worker thread. `close()` stops it. */
export class FileAssembler {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #waiters = new Map<number, Waiter>();
  /** Why a worker went away, for files begun on it that finish after it did. */
  readonly #lost = new WeakMap<Worker, string>();
  /** Files that failed on the worker, with the reason, until their finish() collects it. */
  readonly #failed = new Map<number, string>();

  /** Starts assembling a file of `total` bytes. */
  begin(total: number): Assembly {
    if (total < WORKER_MIN_BYTES) return new InPlaceAssembly(total);
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    const post = (msg: AssemblerRequest, transfer: ArrayBuffer[] = []): void => worker.postMessage(msg, transfer);
    post({ op: 'start', id, total });
    let offset = 0;
    return {
      push: (data) => {
        const at = offset;
        offset += data.length; // read the length before a transfer detaches `data`
        post({ op: 'chunk', id, offset: at, data }, ownsItsMemory(data) ? [data.buffer as ArrayBuffer] : []);
      },
      finish: () => new Promise((resolve, reject) => {
        // A worker that died (or was closed) since begin() would never answer.
        if (this.#worker !== worker) return reject(new Error(this.#lost.get(worker) ?? 'the file assembler thread is gone'));
        this.#waiters.set(id, { worker, resolve, reject });
        post({ op: 'finish', id });
      }),
      abort: () => {
        this.#failed.delete(id); // a failure reported before the abort is of no interest any more
        post({ op: 'abort', id });
      },
    };
  }

  /** Stops the worker; assemblies in progress fail. */
  close(): void {
    const w = this.#worker;
    if (!w) return;
    this.#worker = undefined;
    this.#lose(w, new Error('the file assembler was closed'));
    void w.terminate();
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./assembler-worker.js', import.meta.url));
    worker.unref(); // an idle assembler never keeps the process alive
    worker.on('message', (reply: AssemblerReply) => {
      const waiter = this.#waiters.get(reply.id);
      this.#waiters.delete(reply.id);
      if ('bytes' in reply) {
        waiter?.resolve({ bytes: reply.bytes, sha256: reply.sha256 });
      } else if (waiter) {
        waiter.reject(new Error(this.#failed.get(reply.id) ?? reply.error)); // the first reason wins
        this.#failed.delete(reply.id);
      } else {
        this.#failed.set(reply.id, reply.error);
      }
    });
    const lost = (err: Error): void => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#lose(worker, err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the file assembler thread exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  /** Fails the files waiting on `worker` (once: a closed worker's later exit changes nothing). */
  #lose(worker: Worker, err: Error): void {
    if (this.#lost.has(worker)) return;
    this.#lost.set(worker, err.message);
    for (const [id, w] of this.#waiters) {
      if (w.worker !== worker) continue;
      this.#waiters.delete(id);
      w.reject(err);
    }
  }
}
