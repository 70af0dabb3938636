// Counts the public gRPC inference calls for metrics (surface "grpc"): one sample per call when it
// ends, with its method path, the model the request names (canonical id; "" when it names none or an
// unknown one) and its gRPC status name, and its duration from arrival to the end of the call (a
// stream's last message). Calls that the HTTP routes make on loopback are counted by the HTTP layer
// and skipped here. Handlers are wrapped; the forwarding is untouched.
import { status, type ServerDuplexStream, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData } from '@grpc/grpc-js';
import { SURFACE_KEY, surfaceOf } from '@tabagent/common';
import { scanString } from './wire-scan.js';

/** One finished call. */
export interface CallSample {
  surface: string;
  method: string;
  model: string;
  /** The gRPC status name, e.g. "OK", "NOT_FOUND". */
  code: string;
  seconds: number;
}

/** Where finished calls go. */
export interface CallObserver {
  request(s: CallSample): void;
}

/** How a call's model label is found: the model its request names, as a canonical id (or undefined). */
export interface ModelLabel {
  /** Field number of the model id in the method's request message (0 when it has none). */
  readonly field: number;
  canonical(name: string): string | undefined;
}

type Unary = (call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>) => void;
type StreamCall = ServerWritableStream<Buffer, Buffer> | ServerDuplexStream<Buffer, Buffer>;

/** The status name of a gRPC code, e.g. "OK". */
export const codeName = (code: number | undefined): string => status[code ?? status.UNKNOWN] ?? String(code);

/** The model label of a request ("" when unknown: any string could be sent; "" for malformed bytes). */
export function modelOf(label: ModelLabel, req: Buffer | undefined, code: string): string {
  if (req === undefined || label.field === 0 || code === 'NOT_FOUND') return '';
  try {
    const name = scanString(req, label.field);
    return name === '' ? '' : (label.canonical(name) ?? '');
  } catch {
    return '';
  }
}

/** Counts a unary method's calls. */
export function countUnary(observer: CallObserver, path: string, label: ModelLabel, handler: Unary): Unary {
  return (call, cb) => {
    if (surfaceOf(call.metadata.get(SURFACE_KEY)) === 'http') return handler(call, cb);
    const started = performance.now();
    handler(call, (err, ...rest) => {
      const code = err ? codeName(err.code) : 'OK';
      observer.request({ surface: 'grpc', method: path, model: modelOf(label, call.request, code), code, seconds: (performance.now() - started) / 1000 });
      cb(err, ...rest);
    });
  };
}

/**
 * Counts a streaming method's calls: the status is read from the call's own events (an error status,
 * a cancel by the client, or the end of its writes). For a client-streaming call (Track) the model is
 * read from its first message.
 */
export function countStreaming<C extends StreamCall>(observer: CallObserver, path: string, label: ModelLabel, handler: (call: C) => void): (call: C) => void {
  return (call) => {
    if (surfaceOf(call.metadata.get(SURFACE_KEY)) === 'http') return handler(call);
    const started = performance.now();
    let request: Buffer | undefined = 'request' in call ? call.request : undefined;
    if (request === undefined) call.once('data', (first: Buffer) => (request = first));
    let settled = false;
    const settle = (code: string): void => {
      if (settled) return;
      settled = true;
      observer.request({ surface: 'grpc', method: path, model: modelOf(label, request, code), code, seconds: (performance.now() - started) / 1000 });
    };
    call.once('error', (e: { code?: number }) => settle(codeName(e.code)));
    call.once('cancelled', () => settle('CANCELLED'));
    call.once('finish', () => settle('OK'));
    handler(call);
  };
}

/** A method of a ts-proto service definition (its path and whether it streams responses). */
interface MethodDef {
  readonly path: string;
  readonly responseStream: boolean;
}

type TypedCall = { metadata: { get(key: string): unknown[] }; request?: unknown } & Partial<Pick<ServerWritableStream<unknown, unknown>, 'once'>>;

/** The canonical id of the `model` field of a decoded request ("" when it has none). */
function typedModel(req: unknown, canonical: (name: string) => string | undefined, code: string): string {
  const name = (req as { model?: unknown } | undefined)?.model;
  return typeof name === 'string' && name !== '' && code !== 'NOT_FOUND' ? (canonical(name) ?? '') : '';
}

/**
 * Counts the calls of a service with decoded (typed) handlers, such as ModelManagement: unary
 * methods when their callback runs, server-streaming ones (PullModel) when the stream ends. The model
 * label is the request's `model` field. Loopback calls of the HTTP routes are skipped, as above.
 */
export function countTypedService<T extends object>(observer: CallObserver, definition: Readonly<Record<string, MethodDef>>, impl: T, canonical: (name: string) => string | undefined): T {
  const out: Record<string, unknown> = {};
  for (const [key, handler] of Object.entries(impl) as [string, (...a: unknown[]) => void][]) {
    const def = definition[key];
    if (def === undefined) {
      out[key] = handler;
      continue;
    }
    const path = def.path;
    const sample = (req: unknown, code: string, started: number): void =>
      observer.request({ surface: 'grpc', method: path, model: typedModel(req, canonical, code), code, seconds: (performance.now() - started) / 1000 });
    out[key] = def.responseStream
      ? (call: TypedCall & ServerWritableStream<unknown, unknown>) => {
        if (surfaceOf(call.metadata.get(SURFACE_KEY)) === 'http') return handler(call);
        const started = performance.now();
        let settled = false;
        const settle = (code: string): void => {
          if (!settled) sample(call.request, code, started);
          settled = true;
        };
        call.once('error', (e: { code?: number }) => settle(codeName(e.code)));
        call.once('cancelled', () => settle('CANCELLED'));
        call.once('finish', () => settle('OK'));
        handler(call);
      }
      : (call: TypedCall, cb: (err: { code?: number } | null, ...rest: unknown[]) => void) => {
        if (surfaceOf(call.metadata.get(SURFACE_KEY)) === 'http') return handler(call, cb);
        const started = performance.now();
        handler(call, (err: { code?: number } | null, ...rest: unknown[]) => {
          sample(call.request, err ? codeName(err.code) : 'OK', started);
          cb(err, ...rest);
        });
      };
  }
  return out as T;
}
