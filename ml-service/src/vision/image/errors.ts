// Error type for vision input and model problems, carrying a stable code for the gRPC mapping.

/** Stable error codes raised by the vision pipelines. */
export type VisionErrorCode =
  | 'VISION_INVALID_ARGUMENT'
  | 'VISION_NOT_FOUND'
  | 'VISION_MODEL_MISMATCH'
  | 'VISION_DISPOSED';

export class VisionError extends Error {
  readonly code: VisionErrorCode;
  /** Offending request field (e.g. `frame.data`), when the error is about an input. */
  readonly field: string | undefined;

  constructor(code: VisionErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'VisionError';
    this.code = code;
    this.field = field;
  }
}

/** Shorthand for an invalid-argument error that names the field in its message. */
export function invalidArgument(field: string, problem: string): VisionError {
  return new VisionError('VISION_INVALID_ARGUMENT', `${field}: ${problem}`, field);
}
