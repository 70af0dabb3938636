// Worker-thread entry of WorkerSession: owns one onnxruntime session and runs it on request, so
// several sessions can infer at the same time (onnxruntime-node runs a session on the calling thread).

import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

export interface SessionWorkerData {
  model: Uint8Array;
  /** Plain session options (provider list, threads, ...), as the main thread's sessions use. */
  options: ort.InferenceSession.SessionOptions;
}

export interface WireTensor {
  data: Float32Array;
  dims: readonly number[];
  type: string;
}

/** When a run computed, in milliseconds since the epoch (comparable across threads). */
export interface RunSpan {
  start: number;
  end: number;
}

export type WorkerRequest = { id: number; feeds: Record<string, WireTensor> } | { id: number; release: true };

export type WorkerReply =
  | { ready: true; inputNames: readonly string[]; outputNames: readonly string[] }
  | { id: number; outputs: Record<string, WireTensor>; span: RunSpan }
  | { id: number; released: true }
  | { id?: number; error: string };

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('session worker must run in a worker thread');
  const { model, options } = workerData as SessionWorkerData;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, options);
  } catch (e) {
    port.postMessage({ error: `cannot create session: ${String(e)}` } satisfies WorkerReply);
    return;
  }
  port.postMessage({ ready: true, inputNames: session.inputNames, outputNames: session.outputNames } satisfies WorkerReply);
  port.on('message', (msg: WorkerRequest) => {
    void handle(session, msg).then(
      (reply) => port.postMessage(reply),
      (e: unknown) => port.postMessage({ id: msg.id, error: String(e) } satisfies WorkerReply),
    );
  });
}

async function handle(session: ort.InferenceSession, msg: WorkerRequest): Promise<WorkerReply> {
  if ('release' in msg) {
    await session.release();
    return { id: msg.id, released: true };
  }
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(msg.feeds)) feeds[name] = new ort.Tensor('float32', t.data, [...t.dims]);
  const start = now();
  const results = await session.run(feeds);
  const span = { start, end: now() };
  const outputs: Record<string, WireTensor> = {};
  for (const [name, value] of Object.entries(results)) {
    if (!(value.data instanceof Float32Array)) throw new Error(`output ${name} is ${value.type}, expected float32`);
    outputs[name] = { data: value.data, dims: value.dims, type: value.type };
  }
  return { id: msg.id, outputs, span };
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

void serve();
