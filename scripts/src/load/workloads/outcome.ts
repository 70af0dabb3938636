// Samples from the ways a call can end: a gRPC error (status name, TA_ERR_* code and retry advice
// from its trailing metadata), an HTTP answer, or a checked answer.
import { status, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, RETRY_AFTER_KEY } from '@tabagent/common';
import type { Sample } from '../types.js';

/** A successful sample, or WRONG_ANSWER when `problem` is set. */
export function answered(startMs: number, problem?: string, extra: Partial<Sample> = {}): Sample {
  const endMs = performance.now();
  return problem === undefined
    ? { startMs, endMs, ok: true, code: 'OK', ...extra }
    : { startMs, endMs, ok: false, code: 'WRONG_ANSWER', message: problem };
}

const firstString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The sample of a failed gRPC call. */
export function grpcFailure(startMs: number, err: unknown): Sample {
  const endMs = performance.now();
  const e = err as Partial<ServiceError>;
  if (typeof e.code !== 'number') return { startMs, endMs, ok: false, code: 'CLIENT_ERROR', message: String((err as Error).message ?? err) };
  const retry = firstString(e.metadata?.get(RETRY_AFTER_KEY)[0]);
  const errorCode = firstString(e.metadata?.get(ERROR_CODE_KEY)[0]);
  return {
    startMs, endMs, ok: false, code: status[e.code] ?? String(e.code),
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(retry !== undefined ? { retryAfterMs: Number(retry) } : {}),
    message: (e.details ?? '').split('\n')[0],
  };
}

/** The sample of an HTTP answer that was not a success. */
export function httpFailure(startMs: number, res: { readonly status: number; readonly headers: { get(name: string): string | null } }, body: string): Sample {
  const retry = res.headers.get('retry-after');
  const errorCode = res.headers.get('x-tabagent-error-code') ?? undefined;
  return {
    startMs, endMs: performance.now(), ok: false, code: `HTTP ${res.status}`,
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(retry !== null ? { retryAfterMs: Number(retry) * 1000 } : {}),
    message: body.slice(0, 200),
  };
}

/** The sample of an HTTP request that got no answer (connection refused or reset). */
export function fetchFailure(startMs: number, err: unknown): Sample {
  // fetch puts the system error in `cause`; node:http throws it itself.
  const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
  return { startMs, endMs: performance.now(), ok: false, code: `FETCH ${cause ?? 'FAILED'}`, message: String((err as Error).message ?? err) };
}

/** The deadline option of a call that may take `ms`. */
export const within = (ms: number): { deadline: Date } => ({ deadline: new Date(Date.now() + ms) });
