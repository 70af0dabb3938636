// The single place where errors become gRPC statuses (server side) and gRPC statuses become
// TabagentErrors again (client side, e.g. the supervisor calling its child).
import { Metadata, status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { ERROR_CODES, resolveErrorCode, type ErrorCode } from './codes.js';
import { TabagentError } from './tabagent-error.js';

/** Trailing-metadata key that carries the stable error code. */
export const ERROR_CODE_KEY = 'x-tabagent-error-code';
/** Trailing-metadata key that carries retry advice in ms. */
export const RETRY_AFTER_KEY = 'x-tabagent-retry-after-ms';

/** Converts any thrown value into the status object grpc-js sends. */
export function toGrpcStatus(err: unknown): Partial<StatusObject> & { code: status; details: string } {
  const metadata = new Metadata();
  const code = resolveErrorCode((err as { code?: unknown } | null)?.code);
  if (code !== undefined) {
    const message = err instanceof Error ? err.message : String(err);
    metadata.set(ERROR_CODE_KEY, code);
    if (err instanceof TabagentError) {
      if (err.retryAfterMs !== undefined) metadata.set(RETRY_AFTER_KEY, String(err.retryAfterMs));
      for (const [k, v] of Object.entries(err.details)) metadata.set(`x-tabagent-${k.toLowerCase()}`, v);
    }
    return { code: ERROR_CODES[code].grpc, details: message, metadata };
  }
  if (isServiceError(err)) {
    // An error from a downstream gRPC call: pass its status through unchanged.
    return { code: err.code, details: err.details, metadata: err.metadata ?? metadata };
  }
  metadata.set(ERROR_CODE_KEY, 'TA_ERR_INTERNAL');
  const message = err instanceof Error ? err.message : String(err);
  return { code: status.INTERNAL, details: `internal error: ${message}`, metadata };
}

/** Whether a value looks like a grpc-js ServiceError. */
export function isServiceError(err: unknown): err is ServiceError {
  return (
    err instanceof Error &&
    typeof (err as Partial<ServiceError>).code === 'number' &&
    typeof (err as Partial<ServiceError>).details === 'string'
  );
}

/** Rebuilds a TabagentError from a gRPC error received from another tabagent process. */
export function fromServiceError(err: ServiceError): TabagentError {
  const raw = err.metadata?.get(ERROR_CODE_KEY)[0];
  const code: ErrorCode =
    resolveErrorCode(typeof raw === 'string' ? raw : undefined) ?? codeForStatus(err.code);
  return new TabagentError(code, err.details || err.message, { cause: err });
}

function codeForStatus(s: status): ErrorCode {
  switch (s) {
    case status.INVALID_ARGUMENT: return 'TA_ERR_INVALID_ARGUMENT';
    case status.NOT_FOUND: return 'TA_ERR_MODEL_NOT_FOUND';
    case status.UNIMPLEMENTED: return 'TA_ERR_UNIMPLEMENTED';
    case status.DATA_LOSS: return 'TA_ERR_DATA_LOSS';
    case status.PERMISSION_DENIED: return 'TA_ERR_PERMISSION_DENIED';
    case status.UNAUTHENTICATED: return 'TA_ERR_UNAUTHENTICATED';
    case status.RESOURCE_EXHAUSTED: return 'TA_ERR_RESOURCE_EXHAUSTED';
    case status.DEADLINE_EXCEEDED: return 'TA_ERR_DEADLINE_EXCEEDED';
    case status.CANCELLED: return 'TA_ERR_CANCELLED';
    case status.UNAVAILABLE: return 'TA_ERR_CHILD_UNAVAILABLE';
    case status.FAILED_PRECONDITION: return 'TA_ERR_MODEL_LOAD_FAILED';
    default: return 'TA_ERR_INTERNAL';
  }
}

/** A ServiceError as a grpc-js client produces it for a status (message "CODE NAME: details"). */
export function serviceErrorOf(s: Partial<StatusObject>): ServiceError {
  const code = s.code ?? status.UNKNOWN;
  const details = s.details ?? '';
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: s.metadata ?? new Metadata() });
}
