// Errors of the ONNX rewrites run at pull time, each with a stable `code`.

/** Stable error codes of the ONNX rewrites. */
export type OnnxRewriteErrorCode =
  /** The bytes are not an ONNX model, or the model is inconsistent. */
  | 'ONNX_INVALID_MODEL'
  /** The model is valid but uses something the rewrite cannot change exactly. */
  | 'ONNX_UNSUPPORTED';

/** An error of an ONNX rewrite; `details` names the tensor or node at fault. */
export class OnnxRewriteError extends Error {
  override readonly name = 'OnnxRewriteError';
  readonly code: OnnxRewriteErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: OnnxRewriteErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = Object.freeze({ ...details });
  }
}
