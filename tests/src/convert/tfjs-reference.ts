// Runs an original TFJS graph model with @tensorflow/tfjs (pure-JS cpu backend) as the reference.

import * as tf from '@tensorflow/tfjs';

interface ModelJson {
  readonly modelTopology: object;
  readonly weightsManifest: ReadonlyArray<{ readonly weights: readonly object[] }>;
  readonly signature?: object;
  readonly format?: string;
}

/** Selects the deterministic cpu backend (call once before loading models). */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Loads a graph model from its parsed model.json and concatenated weights. */
export async function loadTfjsModel(modelJson: unknown, weights: Uint8Array): Promise<tf.GraphModel> {
  const json = modelJson as ModelJson;
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs, weightData,
    ...(json.signature === undefined ? {} : { signature: json.signature }),
    ...(json.format === undefined ? {} : { format: json.format }),
  }));
}

/** Output of one model run: each output's values and shape, in `execute` order. */
export interface RunOutput {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** Executes the model on one NHWC float32 input and downloads every output. */
export function runTfjs(model: tf.GraphModel, input: Float32Array, shape: readonly number[]): RunOutput[] {
  return tf.tidy(() => {
    const result = model.execute(tf.tensor(input, [...shape], 'float32'));
    const list = Array.isArray(result) ? result : [result as tf.Tensor];
    return list.map((t) => ({ data: Float32Array.from(t.dataSync()), shape: t.shape }));
  });
}
