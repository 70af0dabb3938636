// Maps model-store and converter errors (their own code strings) onto the project's error registry.
import { TabagentError, resolveErrorCode } from '@tabagent/common';

/** A TabagentError for anything the store or a converter threw. */
export function toStoreError(err: unknown): TabagentError {
  if (err instanceof TabagentError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = resolveErrorCode((err as { code?: unknown } | null)?.code) ?? 'TA_ERR_INTERNAL';
  return new TabagentError(code, message, { cause: err });
}
