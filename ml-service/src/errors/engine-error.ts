// The one base of the engines' own errors (text, embeddings, speech, vision, worker sessions): a
// stable `code` string that common's alias table maps to a registry code (see engine-errors.ts and
// the gRPC mapping), and the request field at fault. Engine folders import nothing else of the service.

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
