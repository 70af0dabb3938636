// Errors of the text engine, each with a stable `code` string that the service layer maps to a status.
import { EngineError } from '../errors/engine-error.js';

/** Stable error codes of the text engine. */
export type TextErrorCode =
  /** A request or load option is invalid; `field` names it. */
  | 'TEXT_INVALID_ARGUMENT'
  /** The model was disposed before or during the call. */
  | 'TEXT_MODEL_DISPOSED'
  /** The model files could not be read or loaded. */
  | 'TEXT_MODEL_LOAD_FAILED';

export class TextError extends EngineError<TextErrorCode> {
  override readonly name = 'TextError';
}

/** A TEXT_INVALID_ARGUMENT error whose message starts with the field name. */
export function invalidArgument(field: string, problem: string): TextError {
  return new TextError('TEXT_INVALID_ARGUMENT', `${field}: ${problem}`, field);
}
