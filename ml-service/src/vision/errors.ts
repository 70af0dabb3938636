// Error type for vision input and model problems, carrying a stable code for the gRPC mapping.
import { EngineError } from '../errors/engine-error.js';

/** Stable error codes raised by the vision pipelines. */
export type VisionErrorCode =
  | 'VISION_INVALID_ARGUMENT'
  | 'VISION_NOT_FOUND'
  | 'VISION_MODEL_MISMATCH'
  | 'VISION_DISPOSED';

/** `field` names the offending request field (e.g. `frame.data`) when the error is about an input. */
export class VisionError extends EngineError<VisionErrorCode> {
  override readonly name = 'VisionError';

  constructor(code: VisionErrorCode, message: string, field?: string) {
    super(code, message, field);
  }
}

/** Shorthand for an invalid-argument error that names the field in its message. */
export function invalidArgument(field: string, problem: string): VisionError {
  return new VisionError('VISION_INVALID_ARGUMENT', `${field}: ${problem}`, field);
}
