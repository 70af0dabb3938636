// Messages between a WorkerSpeechModel (main thread) and its speech worker. The worker asks the main
// thread for model files (only the main thread reaches the supervisor), then transcribes on request.
// Errors cross as plain data and are rebuilt with their code and field.

import { SpeechError, type SpeechErrorCode } from './errors.js';
import type { Transcript, TranscribeOptions } from './whisper.js';

/** What the worker is started with. */
export interface SpeechWorkerData {
  readonly id: string;
  readonly device?: string;
  readonly threads?: number;
  readonly dtype?: string;
}

/** An error as data: its name, message, and the code/field of engine and file errors. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string | number;
  readonly field?: string;
}

/** Main thread → worker. */
export type ToSpeechWorker =
  | { readonly op: 'file'; readonly rid: number; readonly bytes: Uint8Array }
  | { readonly op: 'file-error'; readonly rid: number; readonly error: WireError }
  | { readonly op: 'transcribe'; readonly id: number; readonly samples: Float32Array; readonly options: TranscribeOptions };

/** Worker → main thread. */
export type FromSpeechWorker =
  | { readonly op: 'read'; readonly rid: number; readonly path: string }
  | { readonly op: 'loaded' }
  | { readonly op: 'load-failed'; readonly error: WireError }
  | { readonly op: 'result'; readonly id: number; readonly transcript: Transcript }
  | { readonly op: 'failed'; readonly id: number; readonly error: WireError };

/** The cloneable form of anything thrown. */
export function toWire(err: unknown): WireError {
  const e = err instanceof Error ? err : new Error(String(err));
  const { code, field } = e as { code?: unknown; field?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof field === 'string' ? { field } : {}),
  };
}

const SPEECH_CODES: readonly string[] = ['SPEECH_INVALID_ARGUMENT', 'SPEECH_MODEL_LOAD_FAILED'] satisfies SpeechErrorCode[];

/** The error again: a SpeechError when it was one, else an Error carrying its code. */
export function fromWire(w: WireError): Error {
  if (w.name === 'SpeechError' && typeof w.code === 'string' && SPEECH_CODES.includes(w.code)) {
    return new SpeechError(w.code as SpeechErrorCode, w.message, w.field);
  }
  const err = Object.assign(new Error(w.message), w.code !== undefined ? { code: w.code } : {});
  if (w.name !== 'Error') Object.defineProperty(err, 'name', { value: w.name, configurable: true });
  return err;
}
