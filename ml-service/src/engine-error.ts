// Base of the engines' own errors (embeddings, speech): a stable `code` string that
// `text/engine-errors.ts` maps to a TabagentError, and the request field at fault.

/** An engine error with a stable code and the offending field. */
export class EngineError<C extends string> extends Error {
  readonly code: C;
  readonly field: string | undefined;

  constructor(code: C, message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.field = field;
  }
}
