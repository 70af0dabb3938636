// Test helper: the ONNX bytes behind a test model (converted again from its TFJS files with the
// project's converter, or read from the cached ONNX file), to start worker sessions from.

import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { convert, converterEntry, loadConverter, type TestModel } from './models.js';

export async function onnxBytesOf(model: TestModel): Promise<Uint8Array> {
  if (model.runtime !== 'onnxruntime') throw new Error(`${model.path} runs on ${model.runtime}: no ONNX bytes`);
  if (!model.converted) return new Uint8Array(await readFile(model.path));
  const converter = await loadConverter();
  if (converter === undefined) throw new Error(`no converter at ${converterEntry()}`);
  return convert(converter, dirname(model.path), basename(model.path, '.json'));
}
