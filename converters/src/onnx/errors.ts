// Errors of the ONNX rewrites run at pull time, each with a stable `code`.

import { ConverterError } from '../core/errors.js';

/** Stable error codes of the ONNX rewrites. */
export type OnnxRewriteErrorCode =
  /** The bytes are not an ONNX model, or the model is inconsistent. */
  | 'ONNX_INVALID_MODEL'
  /** The model is valid but uses something the rewrite cannot change exactly. */
  | 'ONNX_UNSUPPORTED';

/** An error of an ONNX rewrite; `details` names the tensor or node at fault. */
export class OnnxRewriteError extends ConverterError<OnnxRewriteErrorCode> {
  override readonly name = 'OnnxRewriteError';
}
