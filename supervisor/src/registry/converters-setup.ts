// Registers the pull-time converters with the model store: TFJS graph → ONNX (vision defaults) and
// llama2.c → transformers.js Llama folder (stories260K).
import type { Logger } from '@tabagent/common';
import { llama2cConverter, LLAMA2C_CONVERTER_VERSION } from '../store/convert/llama2c/index.js';
import { convertTfjsGraphModel, weightPaths } from '../store/convert/tfjs/index.js';
import type { ModelStore } from '../store/store.js';
import type { ConverterFn } from '../store/types.js';

/** Version of the TFJS converter output; bump to re-convert cached models. */
export const TFJS_CONVERTER_VERSION = 'tfjs-onnx-2';

/** Store adapter of the TFJS converter: reads the graph JSON and its weight shards, writes one .onnx. */
export function tfjsStoreConverter(log?: Logger): ConverterFn {
  return async (input) => {
    const params = input.entry.params ?? {};
    const graph = typeof params['graph'] === 'string' ? params['graph'] : input.files.find((f) => f.endsWith('.json'));
    if (!graph) throw Object.assign(new Error(`model "${input.entry.id}" has no TFJS graph (model.json)`), { code: 'STORE_FAILED_PRECONDITION' });
    const modelJson: unknown = JSON.parse(Buffer.from(await input.readFile(graph)).toString('utf8'));
    const dir = graph.includes('/') ? graph.slice(0, graph.lastIndexOf('/') + 1) : '';
    const shards = await Promise.all(weightPaths(modelJson).map((p) => input.readFile(dir + p)));
    const weights = Buffer.concat(shards);
    const out = typeof params['onnx'] === 'string' ? params['onnx'] : graph.replace(/\.json$/, '.onnx');
    const onnx = convertTfjsGraphModel(modelJson, weights, {
      name: input.entry.id,
      log,
      onProgress: (done, total) => input.onProgress(total > 0 ? done / total : 1),
    });
    return new Map([[out, onnx]]);
  };
}

/** Registers every converter this build has. */
export function registerConverters(store: ModelStore, log: Logger): void {
  store.registerConverter('tfjs-graph-to-onnx', tfjsStoreConverter(log), { version: TFJS_CONVERTER_VERSION });
  store.registerConverter('llama2c-to-transformers', llama2cConverter, { version: LLAMA2C_CONVERTER_VERSION });
}
