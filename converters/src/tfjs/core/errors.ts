// Errors raised by the TFJS graph-model → ONNX converter, each with a stable `code`.

import { ConverterError } from '../../core/errors.js';

/** Stable error codes of the converter. */
export type TfjsConvertErrorCode =
  /** The graph uses an op (or an op variant/attribute) the converter cannot express in ONNX. */
  | 'TFJS_UNSUPPORTED_OP'
  /** model.json or the weights buffer is malformed or inconsistent. */
  | 'TFJS_INVALID_MODEL';

/** An error of the TFJS → ONNX converter. `details` names the node and op when there is one. */
export class TfjsConvertError extends ConverterError<TfjsConvertErrorCode> {
  override readonly name = 'TfjsConvertError';
}

/** An op (or op variant) that cannot be converted; the message names both the op and the node. */
export function unsupportedOp(op: string, nodeName: string, why?: string): TfjsConvertError {
  const suffix = why === undefined ? '' : `: ${why}`;
  return new TfjsConvertError(
    'TFJS_UNSUPPORTED_OP',
    `unsupported TFJS op "${op}" at node "${nodeName}"${suffix}`,
    { op, node: nodeName },
  );
}

/** Several unknown ops found before converting: names the first op and node, and lists every unknown op. */
export function unsupportedOps(first: { op: string; node: string }, allOps: readonly string[]): TfjsConvertError {
  const others = allOps.length > 1 ? ` (unsupported ops in this model: ${allOps.join(', ')})` : '';
  return new TfjsConvertError(
    'TFJS_UNSUPPORTED_OP',
    `unsupported TFJS op "${first.op}" at node "${first.node}"${others}`,
    { op: first.op, node: first.node, ops: [...allOps] },
  );
}

/** A malformed model.json or weights buffer. */
export function invalidModel(message: string, details: Record<string, unknown> = {}): TfjsConvertError {
  return new TfjsConvertError('TFJS_INVALID_MODEL', message, details);
}
