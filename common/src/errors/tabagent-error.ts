// TabagentError: the one error class of the project (like execa's ExecaError): a stable code, a
// message that names the offending field or model, an optional cause, and flags for retry logic.
import { ERROR_CODES, type ErrorCode } from './codes.js';

/** Options of a TabagentError. */
export interface TabagentErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** The request field at fault, e.g. "frame.width". */
  field?: string;
  /** Extra machine-readable details (sent as trailing metadata). */
  details?: Readonly<Record<string, string>>;
  /** Milliseconds after which a retry may succeed (RESOURCE_EXHAUSTED, UNAVAILABLE). */
  retryAfterMs?: number;
}

/** An error with a stable code from the registry. */
export class TabagentError extends Error {
  override readonly name = 'TabagentError';
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: Readonly<Record<string, string>>;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: TabagentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.details = options.details ?? {};
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Whether the supervisor may retry the failed call on a fresh child. */
  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable === true;
  }
}

/** Shorthand for INVALID_ARGUMENT errors that name the field. */
export function invalidArgument(field: string, problem: string): TabagentError {
  return new TabagentError('TA_ERR_INVALID_ARGUMENT', `${field}: ${problem}`, { field });
}

/** Shorthand for an unknown model. */
export function modelNotFound(model: string): TabagentError {
  return new TabagentError('TA_ERR_MODEL_NOT_FOUND', `model "${model}" is not in the catalog`, {
    details: { model },
  });
}
