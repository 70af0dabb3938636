// OpenAI's error shape and the HTTP status of each stable TA_ERR_* code, in one place.
import type { ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, RETRY_AFTER_KEY, TabagentError, fromServiceError, isServiceError, resolveErrorCode, type ErrorCode } from '@tabagent/common';

/** HTTP status per error code. */
const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  TA_ERR_INTERNAL: 500,
  TA_ERR_INVALID_ARGUMENT: 400,
  TA_ERR_UNIMPLEMENTED: 501,
  TA_ERR_MODEL_NOT_FOUND: 404,
  TA_ERR_MODEL_NOT_LOADED: 409,
  TA_ERR_MODEL_LOAD_FAILED: 422,
  TA_ERR_DATA_LOSS: 500,
  TA_ERR_PERMISSION_DENIED: 403,
  TA_ERR_UNAUTHENTICATED: 401,
  TA_ERR_UNSUPPORTED_OP: 422,
  TA_ERR_RESOURCE_EXHAUSTED: 429,
  TA_ERR_CHILD_UNAVAILABLE: 503,
  TA_ERR_CHILD_FAILED: 503,
  TA_ERR_DEADLINE_EXCEEDED: 504,
  TA_ERR_CANCELLED: 499,
  TA_ERR_SOURCE_UNAVAILABLE: 503,
  TA_ERR_FAILED_PRECONDITION: 422,
  TA_ERR_SHUTTING_DOWN: 503,
  TA_ERR_REGION_NOT_FOUND: 404,
  TA_ERR_ALREADY_EXISTS: 409,
});

/** OpenAI's error `type` for a status. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** An error ready to be sent: status, body and extra headers. */
export interface HttpError {
  status: number;
  headers: Record<string, string>;
  body: { error: { message: string; type: string; param: string | null; code: string } };
}

/** A request field the HTTP surface refuses (400 naming the field). */
export function badParam(param: string, message: string): TabagentError {
  return new TabagentError('TA_ERR_INVALID_ARGUMENT', `${param}: ${message}`, { details: { param } });
}

/** Converts anything thrown (a TabagentError, a gRPC status from the loopback call, a bug) to an HttpError. */
export function toHttpError(err: unknown): HttpError {
  let code: ErrorCode = 'TA_ERR_INTERNAL';
  let message = err instanceof Error ? err.message : String(err);
  let param: string | null = null;
  let retryAfterMs: number | undefined;
  if (isServiceError(err)) {
    const e = err as ServiceError;
    code = fromServiceError(e).code as ErrorCode;
    message = e.details || e.message;
    const raw = e.metadata?.get(RETRY_AFTER_KEY)[0];
    if (typeof raw === 'string') retryAfterMs = Number(raw);
    const p = e.metadata?.get('x-tabagent-field')[0] ?? e.metadata?.get('x-tabagent-param')[0];
    if (typeof p === 'string') param = p;
    void ERROR_CODE_KEY;
  } else if (err instanceof TabagentError) {
    code = resolveErrorCode(err.code) ?? 'TA_ERR_INTERNAL';
    retryAfterMs = err.retryAfterMs;
    param = err.details['param'] ?? err.details['field'] ?? null;
  } else if ((err as { statusCode?: number } | null)?.statusCode === 400) {
    code = 'TA_ERR_INVALID_ARGUMENT';
  } else {
    message = `internal error: ${message}`;
  }
  const status = HTTP_STATUS[code];
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) headers['retry-after'] = String(Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000)));
  return { status, headers, body: { error: { message, type: errorType(status), param, code } } };
}
