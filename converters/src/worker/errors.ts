// Errors across the thread boundary: a converter error arrives as the same class with the same
// code and details; any other error as an Error carrying its code.

import { Llama2cError, type Llama2cErrorCode } from '../llama2c/errors.js';
import { OnnxRewriteError, type OnnxRewriteErrorCode } from '../onnx/errors.js';
import { TfjsConvertError, type TfjsConvertErrorCode } from '../tfjs/core/errors.js';
import type { SerializedError } from './protocol.js';

const TFJS_CODES: readonly string[] = ['TFJS_UNSUPPORTED_OP', 'TFJS_INVALID_MODEL'] satisfies TfjsConvertErrorCode[];
const ONNX_CODES: readonly string[] = ['ONNX_INVALID_MODEL', 'ONNX_UNSUPPORTED'] satisfies OnnxRewriteErrorCode[];
const LLAMA2C_CODES: readonly string[] = ['LLAMA2C_INVALID_FORMAT', 'LLAMA2C_UNSUPPORTED', 'LLAMA2C_MISSING_FILE'] satisfies Llama2cErrorCode[];

function plainDetails(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return structuredClone({ ...value }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The cloneable form of anything thrown. */
export function serializeError(err: unknown, readRequest?: number): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const { code, details } = e as { code?: unknown; details?: unknown };
  const own = (e as { readRequest?: unknown }).readRequest;
  const request = readRequest ?? (typeof own === 'number' ? own : undefined);
  const cloned = plainDetails(details);
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(cloned !== undefined ? { details: cloned } : {}),
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(request !== undefined ? { readRequest: request } : {}),
  };
}

/** The error again: a TfjsConvertError, Llama2cError or OnnxRewriteError when it was one, else an Error with its code. */
export function deserializeError(s: SerializedError): Error {
  const details = s.details ?? {};
  let err: Error;
  if (s.name === 'TfjsConvertError' && s.code !== undefined && TFJS_CODES.includes(s.code)) {
    err = new TfjsConvertError(s.code as TfjsConvertErrorCode, s.message, details);
  } else if (s.name === 'Llama2cError' && s.code !== undefined && LLAMA2C_CODES.includes(s.code)) {
    err = new Llama2cError(s.code as Llama2cErrorCode, s.message, details);
  } else if (s.name === 'OnnxRewriteError' && s.code !== undefined && ONNX_CODES.includes(s.code)) {
    err = new OnnxRewriteError(s.code as OnnxRewriteErrorCode, s.message, details);
  } else {
    err = Object.assign(new Error(s.message), {
      ...(s.code !== undefined ? { code: s.code } : {}),
      ...(s.details !== undefined ? { details } : {}),
    });
    if (s.name !== 'Error') Object.defineProperty(err, 'name', { value: s.name, configurable: true });
  }
  if (s.stack !== undefined) err.stack = s.stack;
  if (s.readRequest !== undefined) Object.assign(err, { readRequest: s.readRequest });
  return err;
}
