// Errors of the text engine, each with a stable `code` string that the service layer maps to a status.

/** Stable error codes of the text engine. */
export type TextErrorCode =
  /** A request or load option is invalid; `field` names it. */
  | 'TEXT_INVALID_ARGUMENT'
  /** The model was disposed before or during the call. */
  | 'TEXT_MODEL_DISPOSED'
  /** The model files could not be read or loaded. */
  | 'TEXT_MODEL_LOAD_FAILED';

export class TextError extends Error {
  override readonly name = 'TextError';
  readonly code: TextErrorCode;
  /** The offending option (e.g. `temperature`, `messages[1].role`), when there is one. */
  readonly field: string | undefined;

  constructor(code: TextErrorCode, message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.field = field;
  }
}

/** A TEXT_INVALID_ARGUMENT error whose message starts with the field name. */
export function invalidArgument(field: string, problem: string): TextError {
  return new TextError('TEXT_INVALID_ARGUMENT', `${field}: ${problem}`, field);
}
