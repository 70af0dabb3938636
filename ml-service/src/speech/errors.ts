// Errors of the speech engine: a stable `code` string that the service layer maps to a gRPC status.
import { EngineError } from '../errors/engine-error.js';

/** Stable error codes of the speech engine. */
export type SpeechErrorCode = 'SPEECH_INVALID_ARGUMENT' | 'SPEECH_MODEL_LOAD_FAILED';

/** An error of the speech engine; `field` names the offending request field. */
export class SpeechError extends EngineError<SpeechErrorCode> {
  override readonly name = 'SpeechError';
}

/** A SPEECH_INVALID_ARGUMENT error whose message starts with the field name. */
export function invalidAudio(field: string, problem: string): SpeechError {
  return new SpeechError('SPEECH_INVALID_ARGUMENT', `${field}: ${problem}`, field);
}
