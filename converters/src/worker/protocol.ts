// The messages between a conversion worker thread and the thread that started it. The job travels
// as the worker's `workerData`; the worker asks for each source file and sends progress, log lines
// and finally its outputs or its error.

import type { ConversionJob } from '../core/file-converter.js';

/** An error as it crosses the thread boundary: its class name, stable code and details. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly stack?: string;
  /** Set when the error is the answer to a file request (the host keeps the original). */
  readonly readRequest?: number;
}

/** What the worker sends. */
export type WorkerMessage =
  | { readonly type: 'read'; readonly request: number; readonly path: string }
  | { readonly type: 'progress'; readonly fraction: number }
  | { readonly type: 'log'; readonly fields: Record<string, unknown>; readonly msg: string }
  | { readonly type: 'done'; readonly files: ReadonlyArray<readonly [string, Uint8Array]> }
  | { readonly type: 'failed'; readonly error: SerializedError };

/** What the host sends back to a file request. */
export type HostMessage =
  | { readonly type: 'file'; readonly request: number; readonly bytes: Uint8Array }
  | { readonly type: 'file-error'; readonly request: number; readonly error: SerializedError };

/** The worker's `workerData`. */
export type WorkerData = ConversionJob;

/** The script a conversion worker runs (`new Worker(conversionWorkerUrl(), { workerData: job })`). */
export function conversionWorkerUrl(): URL {
  return new URL('./worker.js', import.meta.url);
}

/** `bytes` itself when it owns its whole buffer (so the buffer can be transferred), else a copy that does. */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
    ? bytes
    : new Uint8Array(bytes);
}
