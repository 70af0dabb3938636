// The `onnx-int8-to-uint8` converter over a model's files: every `*_quantized.onnx` source becomes a
// `*_uint8.onnx` output with its int8 weights re-typed as uint8 (see int8-weights.ts), which
// transformers.js loads with dtype "uint8". The other files are used as pulled.

import type { ConversionIo, ConversionJob, FileConverter } from '../core/file-converter.js';
import { OnnxRewriteError } from './errors.js';
import { int8WeightsToUint8Bytes } from './int8-weights.js';

/** Version of the outputs; bump to re-convert cached models. */
export const INT8_TO_UINT8_CONVERTER_VERSION = 'onnx-uint8-1';

const SOURCE_SUFFIX = '_quantized.onnx';
const OUTPUT_SUFFIX = '_uint8.onnx';

/** The output path of a quantized source (`onnx/encoder_model_quantized.onnx` → `onnx/encoder_model_uint8.onnx`). */
export function uint8OutputPath(source: string): string {
  return source.slice(0, -SOURCE_SUFFIX.length) + OUTPUT_SUFFIX;
}

async function convert(job: ConversionJob, io: ConversionIo): Promise<Map<string, Uint8Array>> {
  const sources = job.files.filter((f) => f.endsWith(SOURCE_SUFFIX));
  if (sources.length === 0) {
    throw new OnnxRewriteError('ONNX_INVALID_MODEL', `model "${job.id}": no *${SOURCE_SUFFIX} file to convert among ${job.files.join(', ')}`, { field: 'files' });
  }
  const out = new Map<string, Uint8Array>();
  for (const [i, source] of sources.entries()) {
    const { bytes, report } = int8WeightsToUint8Bytes(await io.readFile(source));
    io.log?.debug({ id: job.id, file: source, tensors: report.tensors, inputs: report.inputs }, 'int8 weights stored as uint8');
    out.set(uint8OutputPath(source), bytes);
    io.onProgress((i + 1) / sources.length);
  }
  return out;
}

/** The `onnx-int8-to-uint8` converter. */
export const int8ToUint8FileConverter: FileConverter = { version: INT8_TO_UINT8_CONVERTER_VERSION, convert };
