// Every converter of this package by kind, with the version of its outputs.

import { type ConversionIo, type ConversionJob, type ConverterKind, type FileConverter, CONVERTER_KINDS } from '../core/file-converter.js';
import { llama2cFileConverter, llama2cGgufFileConverter } from '../llama2c/file-converter.js';
import { int8ToUint8FileConverter } from '../onnx/file-converter.js';
import { tfjsFileConverter } from '../tfjs/file-converter.js';

/** The converters by kind. */
export const CONVERTERS: Readonly<Record<ConverterKind, FileConverter>> = Object.freeze({
  'tfjs-graph-to-onnx': tfjsFileConverter,
  'llama2c-to-transformers': llama2cFileConverter,
  'llama2c-to-gguf': llama2cGgufFileConverter,
  'onnx-int8-to-uint8': int8ToUint8FileConverter,
});

/** True when `kind` names a converter of this package. */
export function isConverterKind(kind: unknown): kind is ConverterKind {
  return typeof kind === 'string' && (CONVERTER_KINDS as readonly string[]).includes(kind);
}

/** Runs the converter the job names, in the calling thread. */
export function convertFiles(job: ConversionJob, io: ConversionIo): Promise<Map<string, Uint8Array>> {
  return CONVERTERS[job.kind].convert(job, io);
}
