// Test helper: the ONNX bytes behind a test model (converted again from its TFJS files with the
// project's converter, or read from the cached ONNX file), to start worker sessions from.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths.js';
import type { TestModel } from './models.js';

interface Converter {
  convertTfjsGraphModel(modelJson: unknown, weights: Uint8Array): Uint8Array;
  weightPaths(modelJson: unknown): string[];
}

export async function onnxBytesOf(model: TestModel): Promise<Uint8Array> {
  if (model.runtime !== 'onnxruntime') throw new Error(`${model.path} runs on ${model.runtime}: no ONNX bytes`);
  if (!model.converted) return new Uint8Array(await readFile(model.path));
  const entry = join(repoRoot(), 'supervisor', 'dist', 'store', 'convert', 'tfjs', 'index.js');
  const converter = (await import(pathToFileURL(entry).href)) as Converter;
  const json: unknown = JSON.parse(await readFile(model.path, 'utf8'));
  const parts = await Promise.all(converter.weightPaths(json).map((p) => readFile(join(dirname(model.path), p))));
  return converter.convertTfjsGraphModel(json, new Uint8Array(Buffer.concat(parts)));
}
