// Errors raised by the model store, each with a stable `code` string that the API layer maps to a status.

/** Stable error codes of the model store. */
export type StoreErrorCode =
  /** Unknown model id, or a file that is not part of a model. */
  | 'STORE_NOT_FOUND'
  /** Checksum or size mismatch; the bad file has been removed. */
  | 'STORE_DATA_LOSS'
  /** A path that would escape the cache (`..`, absolute, symlink) or an OS permission error. */
  | 'STORE_PERMISSION_DENIED'
  /** A catalog entry or catalog file failed validation; the message names the field. */
  | 'STORE_INVALID_CATALOG'
  /** A source could not be reached or answered with an unexpected status (retryable). */
  | 'STORE_UNAVAILABLE'
  /** The model needs a converter that has not been registered. */
  | 'STORE_FAILED_PRECONDITION'
  /** The caller stopped waiting (its signal was aborted). */
  | 'STORE_CANCELLED'
  /** The cache's disk is full (ENOSPC, EDQUOT); what the pull wrote was removed or stays unverified. */
  | 'STORE_DISK_FULL'
  /** The cache folder is on a read-only file system (EROFS). */
  | 'STORE_READ_ONLY';

/** An error of the model store. `details` carries structured context (model id, path, field...). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: StoreErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = Object.freeze({ ...details });
  }
}

/** True when `err` is a StoreError, optionally with the given code. */
export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

/** The error a caller sees when its own abort signal fires while waiting. */
export function cancelledError(what: string, signal: AbortSignal): StoreError {
  return new StoreError('STORE_CANCELLED', `${what} was cancelled`, {}, { cause: signal.reason });
}

/**
 * The disk fault in `err` or its causes (a source may wrap the write error) as a StoreError naming
 * the path (the error's own, else `path`), or undefined when there is none.
 */
export function diskFault(err: unknown, path: string): StoreError | undefined {
  let e: unknown = err;
  for (let depth = 0; e !== null && typeof e === 'object' && depth < 5; depth++, e = (e as { cause?: unknown }).cause) {
    if (isStoreError(e, 'STORE_DISK_FULL') || isStoreError(e, 'STORE_READ_ONLY')) return e;
    const { code, path: own } = e as NodeJS.ErrnoException;
    const where = own ?? path;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return new StoreError('STORE_DISK_FULL', `no space left on the model cache's disk writing ${where} (${code})`, { path: where }, { cause: e });
    }
    if (code === 'EROFS') {
      return new StoreError('STORE_READ_ONLY', `the model cache is on a read-only file system: cannot write ${where} (EROFS)`, { path: where }, { cause: e });
    }
  }
  return undefined;
}

/** Maps an OS error on a cache path to a StoreError when it is a disk fault or a permission problem, else returns it. */
export function mapFsError(err: unknown, path: string): unknown {
  const fault = diskFault(err, path);
  if (fault !== undefined) return fault;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new StoreError('STORE_PERMISSION_DENIED', `permission denied on model cache path ${path}`, { path }, { cause: err });
  }
  return err;
}
