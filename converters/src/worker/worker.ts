// Entry of a conversion worker thread: runs the job from `workerData`, reading each source file
// through the host (which owns the cache and its path checks), and posts progress, debug lines and
// finally the outputs (their buffers transferred, not copied) or the error.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { convertFiles, isConverterKind } from '../registry/converters.js';
import type { ConversionJob } from '../core/file-converter.js';
import { deserializeError, serializeError } from './errors.js';
import { type HostMessage, type WorkerMessage, ownedBytes } from './protocol.js';

/** File requests to the host, each answered once by a `file` or `file-error` message. */
class HostFiles {
  readonly #port: MessagePort;
  readonly #pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  #next = 0;

  constructor(port: MessagePort) {
    this.#port = port;
    port.on('message', (m: HostMessage) => this.#answer(m));
  }

  read(path: string): Promise<Uint8Array> {
    const request = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#pending.set(request, { resolve, reject });
      this.#port.postMessage({ type: 'read', request, path } satisfies WorkerMessage);
    });
  }

  #answer(m: HostMessage): void {
    const waiter = this.#pending.get(m.request);
    if (waiter === undefined) return;
    this.#pending.delete(m.request);
    if (m.type === 'file') waiter.resolve(m.bytes);
    else waiter.reject(deserializeError(m.error));
  }
}

function checkJob(data: unknown): ConversionJob {
  const job = data as Partial<ConversionJob> | null;
  if (job === null || typeof job !== 'object' || !isConverterKind(job.kind) || typeof job.id !== 'string'
    || !Array.isArray(job.files) || typeof job.params !== 'object' || job.params === null) {
    throw new Error('the conversion worker was started without a valid job');
  }
  return job as ConversionJob;
}

async function run(port: MessagePort): Promise<void> {
  const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
  try {
    const job = checkJob(workerData);
    const files = new HostFiles(port);
    const outputs = await convertFiles(job, {
      readFile: (path) => files.read(path),
      onProgress: (fraction) => post({ type: 'progress', fraction }),
      log: { debug: (fields, msg) => post({ type: 'log', fields: structuredClone(fields), msg }) },
    });
    const entries = [...outputs].map(([path, bytes]) => [path, ownedBytes(bytes)] as const);
    const transfer = [...new Set(entries.map(([, bytes]) => bytes.buffer as ArrayBuffer))];
    post({ type: 'done', files: entries }, transfer);
  } catch (err) {
    post({ type: 'failed', error: serializeError(err) });
  }
}

if (parentPort === null) throw new Error('the conversion worker runs only as a worker thread');
void run(parentPort);
