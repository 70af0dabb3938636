// Error type of the llama2.c converter: malformed checkpoints or tokenizers, with a stable code.

import { ConverterError } from '../core/errors.js';

/** Stable error codes raised by the llama2.c converter. */
export type Llama2cErrorCode =
  /** The checkpoint or tokenizer bytes do not match the llama2.c format (the message says where). */
  | 'LLAMA2C_INVALID_FORMAT'
  /** The checkpoint is valid but uses a feature the converter does not support. */
  | 'LLAMA2C_UNSUPPORTED'
  /** The pulled model lacks a file the conversion needs (checkpoint or tokenizer.bin). */
  | 'LLAMA2C_MISSING_FILE';

/** An error of the llama2.c converter; `details` names the file and field at fault. */
export class Llama2cError extends ConverterError<Llama2cErrorCode> {
  override readonly name = 'Llama2cError';
}
