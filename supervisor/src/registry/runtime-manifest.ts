// Builds the manifest the child receives for a pulled model: the files its runtime needs
// (converted outputs when there are any), their sizes and sha256, and the catalog parameters.
import type { LoadOptions } from '@tabagent/protos/v1/common';
import type { ModelManifest } from '@tabagent/protos/v1/runtime';
import type { CatalogEntry, LocalManifest } from '../store/core/types.js';

/** The runtime the child uses once conversion has happened. */
export function effectiveRuntime(entry: CatalogEntry): string {
  if (entry.convert === 'tfjs-graph-to-onnx') return 'onnxruntime';
  if (entry.convert === 'llama2c-to-transformers') return 'transformers';
  if (entry.convert === 'llama2c-to-gguf') return 'llama.cpp';
  // onnx-int8-to-uint8 rewrites ONNX files in place of the originals; the runtime stays the entry's.
  return entry.runtime;
}

/** The child's manifest. */
export function buildRuntimeManifest(entry: CatalogEntry, local: LocalManifest, options: LoadOptions): ModelManifest {
  // A converted model runs from its converted files, plus the pulled files its runtime still reads:
  // a tokenizer vocabulary (USE lite's vocab.json beside its converted graph), or, for a model whose
  // ONNX files were re-typed (onnx-int8-to-uint8), every pulled file but the quantized originals.
  const vocabulary = entry.params?.['vocabulary'];
  const carried = local.files.filter((f) => f.path === vocabulary
    || (entry.convert === 'onnx-int8-to-uint8' && !f.path.endsWith('_quantized.onnx')));
  const files = local.converted.length > 0 ? [...local.converted, ...carried] : local.files;
  return {
    model: entry.id,
    task: entry.task,
    runtime: effectiveRuntime(entry),
    files: files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
    options,
    paramsJson: JSON.stringify(entry.params ?? {}),
  };
}
