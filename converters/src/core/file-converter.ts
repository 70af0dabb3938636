// What every converter of this package works from: the files of one model, read through a
// callback, and the outputs it returns keyed by model-relative path.

import type { ConverterLog } from './log.js';

/** The conversions this package offers. */
export const CONVERTER_KINDS = ['tfjs-graph-to-onnx', 'llama2c-to-transformers', 'llama2c-to-gguf', 'onnx-int8-to-uint8'] as const;
export type ConverterKind = (typeof CONVERTER_KINDS)[number];

/** One conversion to run: which converter, on which files of which model. */
export interface ConversionJob {
  readonly kind: ConverterKind;
  /** Model id (used in names and messages). */
  readonly id: string;
  /** Model-relative paths of the source files. */
  readonly files: readonly string[];
  /** Free-form settings of the model (e.g. which file holds the graph). */
  readonly params: Readonly<Record<string, unknown>>;
}

/** How a converter reaches its inputs and reports on itself. */
export interface ConversionIo {
  /** Reads one source file by its model-relative path. */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** Progress as a fraction 0..1. */
  readonly onProgress: (fraction: number) => void;
  readonly log?: ConverterLog;
}

/** A converter over a model's files. */
export interface FileConverter {
  /** Changes whenever the outputs for the same input change (cached outputs become stale). */
  readonly version: string;
  convert(job: ConversionJob, io: ConversionIo): Promise<Map<string, Uint8Array>>;
}
