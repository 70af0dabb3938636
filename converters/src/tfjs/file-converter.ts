// The TFJS converter over a model's files: reads the graph JSON and its weight shards, returns one .onnx.

import type { ConversionIo, ConversionJob, FileConverter } from '../core/file-converter.js';
import { convertTfjsGraphModel } from './convert.js';
import { invalidModel } from './core/errors.js';
import { weightPaths } from './core/model-json.js';

/** Version of the TFJS converter output; bump to re-convert cached models. */
export const TFJS_CONVERTER_VERSION = 'tfjs-onnx-2';

/** Param `outputs`: tensor names to expose instead of the model's own outputs (a list of strings). */
function outputsParam(job: ConversionJob): string[] | undefined {
  const raw = job.params['outputs'];
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((o): o is string => typeof o === 'string' && o !== '')) {
    throw invalidModel(`model "${job.id}": params.outputs must be a non-empty list of tensor names`, { outputs: String(raw) });
  }
  return raw;
}

/** Param `constantInputs`: graph inputs fed with fixed scalars ({ name: number }). */
function constantsParam(job: ConversionJob): Record<string, number> | undefined {
  const raw = job.params['constantInputs'];
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !Object.values(raw).every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw invalidModel(`model "${job.id}": params.constantInputs must map input names to numbers`);
  }
  return raw as Record<string, number>;
}

/** Param `inputShapes`: static shapes of graph inputs ({ name: [sizes] }). */
function shapesParam(job: ConversionJob): Record<string, number[]> | undefined {
  const raw = job.params['inputShapes'];
  if (raw === undefined) return undefined;
  const ok = raw !== null && typeof raw === 'object' && !Array.isArray(raw)
    && Object.values(raw).every((v) => Array.isArray(v) && v.every((d) => Number.isInteger(d) && (d as number) > 0));
  if (!ok) throw invalidModel(`model "${job.id}": params.inputShapes must map input names to lists of positive sizes`);
  return raw as Record<string, number[]>;
}

/**
 * Params `graph` and `onnx` name the graph JSON and the output file; by default the first `.json`
 * file is the graph and the output sits beside it with the `.onnx` extension. `outputs` cuts the
 * graph at other tensors (e.g. a detector's raw heads before an in-graph decode); `constantInputs`
 * and `inputShapes` fix inputs (a matting model's recurrent state and resize ratio, its frame size).
 */
async function convert(job: ConversionJob, io: ConversionIo): Promise<Map<string, Uint8Array>> {
  const { params } = job;
  const graph = typeof params['graph'] === 'string' ? params['graph'] : job.files.find((f) => f.endsWith('.json'));
  if (!graph) throw invalidModel(`model "${job.id}" has no TFJS graph (model.json)`, { files: [...job.files] });
  const modelJson: unknown = JSON.parse(Buffer.from(await io.readFile(graph)).toString('utf8'));
  const dir = graph.includes('/') ? graph.slice(0, graph.lastIndexOf('/') + 1) : '';
  const shards = await Promise.all(weightPaths(modelJson).map((p) => io.readFile(dir + p)));
  const weights = Buffer.concat(shards);
  const out = typeof params['onnx'] === 'string' ? params['onnx'] : graph.replace(/\.json$/, '.onnx');
  const outputs = outputsParam(job);
  const constantInputs = constantsParam(job);
  const inputShapes = shapesParam(job);
  const onnx = convertTfjsGraphModel(modelJson, weights, {
    name: job.id,
    ...(outputs === undefined ? {} : { outputs }),
    ...(constantInputs === undefined ? {} : { constantInputs }),
    ...(inputShapes === undefined ? {} : { inputShapes }),
    log: io.log,
    onProgress: (done, total) => io.onProgress(total > 0 ? done / total : 1),
  });
  return new Map([[out, onnx]]);
}

/** The `tfjs-graph-to-onnx` converter. */
export const tfjsFileConverter: FileConverter = { version: TFJS_CONVERTER_VERSION, convert };
