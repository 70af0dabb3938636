// Exit codes: 0 ok, 1 the server (or a tool it needs) failed, 2 bad usage. A UsageError carries the
// usage line of the command it is about.
import { status, type ServiceError } from '@grpc/grpc-js';

export const EXIT_OK = 0;
export const EXIT_SERVER = 1;
export const EXIT_USAGE = 2;

/** Bad arguments: printed with a usage line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage = '') {
    super(message);
    this.name = 'UsageError';
  }
}

/** Whether `err` came from grpc-js. */
export function isServiceError(err: unknown): err is ServiceError {
  return typeof err === 'object' && err !== null && 'code' in err && 'details' in err && 'metadata' in err;
}

/** One line describing an error for stderr. */
export function describeError(err: unknown): string {
  if (isServiceError(err)) {
    const code = err.metadata.get('x-tabagent-error-code')[0];
    const name = status[err.code] ?? String(err.code);
    return `server error ${name}${code ? ` (${String(code)})` : ''}: ${err.details}`;
  }
  return err instanceof Error ? err.message : String(err);
}
