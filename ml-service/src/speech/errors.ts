// Errors of the speech engine: a stable `code` string that the service layer maps to a gRPC status.

/** Stable error codes of the speech engine. */
export type SpeechErrorCode = 'SPEECH_INVALID_ARGUMENT' | 'SPEECH_MODEL_LOAD_FAILED';

/** An error of the speech engine; `field` names the offending request field. */
export class SpeechError extends Error {
  override readonly name = 'SpeechError';
  readonly code: SpeechErrorCode;
  readonly field: string | undefined;

  constructor(code: SpeechErrorCode, message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.field = field;
  }
}

/** A SPEECH_INVALID_ARGUMENT error whose message starts with the field name. */
export function invalidAudio(field: string, problem: string): SpeechError {
  return new SpeechError('SPEECH_INVALID_ARGUMENT', `${field}: ${problem}`, field);
}
