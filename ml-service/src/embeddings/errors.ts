// Errors of the embedding engine: a stable `code` string that the service layer maps to a gRPC status.
import { EngineError } from '../errors/engine-error.js';

/** Stable error codes of the embedding engine. */
export type EmbedErrorCode = 'EMBED_INVALID_ARGUMENT' | 'EMBED_MODEL_LOAD_FAILED';

/** An error of the embedding engine; `field` names the offending request field. */
export class EmbedError extends EngineError<EmbedErrorCode> {
  override readonly name = 'EmbedError';
}

/** An EMBED_INVALID_ARGUMENT error whose message starts with the field name. */
export function invalidEmbed(field: string, problem: string): EmbedError {
  return new EmbedError('EMBED_INVALID_ARGUMENT', `${field}: ${problem}`, field);
}

/** An EMBED_MODEL_LOAD_FAILED error. */
export function loadFailed(message: string, cause?: unknown): EmbedError {
  return new EmbedError('EMBED_MODEL_LOAD_FAILED', message, undefined, cause === undefined ? undefined : { cause });
}
