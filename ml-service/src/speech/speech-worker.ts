// Worker-thread entry of WorkerSpeechModel: loads Whisper with transformers.js here, reading every
// model file through the main thread, and transcribes on request. onnxruntime-node runs a session
// on the calling thread and Whisper's features and decoding loop are JavaScript, so on the main
// thread one transcription held the ML child's event loop for up to a second at a time: health
// checks, vision frames and token streams of other clients waited behind it.

import { parentPort, workerData } from 'node:worker_threads';
import { fromWire, toWire, type FromSpeechWorker, type SpeechWorkerData, type ToSpeechWorker } from './speech-protocol.js';
import { loadSpeechModel, type SpeechModel } from './whisper.js';

/** File reads waiting for the main thread, by request id. */
class FileRequests {
  #next = 1;
  readonly #waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();

  constructor(private readonly post: (m: FromSpeechWorker) => void) {}

  read(path: string): Promise<Uint8Array> {
    const rid = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(rid, { resolve, reject });
      this.post({ op: 'read', rid, path });
    });
  }

  settle(msg: Extract<ToSpeechWorker, { op: 'file' | 'file-error' }>): void {
    const w = this.#waiting.get(msg.rid);
    this.#waiting.delete(msg.rid);
    if (msg.op === 'file') w?.resolve(msg.bytes);
    else w?.reject(fromWire(msg.error));
  }
}

/** The worker's side: loading, then serving transcriptions one at a time in arrival order. */
class SpeechWorker {
  #model: SpeechModel | undefined;
  /** The transcriptions in progress, chained (the session is busy anyway). */
  #queue: Promise<void> = Promise.resolve();
  readonly #files: FileRequests;

  constructor(private readonly post: (m: FromSpeechWorker) => void) {
    this.#files = new FileRequests(post);
  }

  onMessage(msg: ToSpeechWorker): void {
    if (msg.op !== 'transcribe') return this.#files.settle(msg);
    this.#queue = this.#queue.then(async () => {
      try {
        if (this.#model === undefined) throw new Error('the speech model is not loaded');
        this.post({ op: 'result', id: msg.id, transcript: await this.#model.transcribe(msg.samples, msg.options) });
      } catch (err) {
        this.post({ op: 'failed', id: msg.id, error: toWire(err) });
      }
    });
  }

  async load(data: SpeechWorkerData): Promise<void> {
    try {
      this.#model = await loadSpeechModel({
        id: data.id, readFile: (p) => this.#files.read(p),
        ...(data.device !== undefined ? { device: data.device } : {}),
        ...(data.threads !== undefined ? { threads: data.threads } : {}),
        ...(data.dtype !== undefined ? { dtype: data.dtype } : {}),
      });
      this.post({ op: 'loaded' });
    } catch (err) {
      this.post({ op: 'load-failed', error: toWire(err) });
    }
  }
}

const port = parentPort;
if (port === null) throw new Error('the speech worker must run in a worker thread');
const worker = new SpeechWorker((m) => port.postMessage(m));
port.on('message', (msg: ToSpeechWorker) => worker.onMessage(msg));
void worker.load(workerData as SpeechWorkerData);
