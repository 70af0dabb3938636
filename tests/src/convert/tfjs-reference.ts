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

/** A named input of `runTfjsAsync`. */
export interface TfjsFeed {
  readonly data: Float32Array | Int32Array;
  readonly shape: readonly number[];
}

/**
 * Executes with `executeAsync` (needed by ops whose output size depends on the data, like Where) on named
 * inputs and downloads every output as float32.
 */
export async function runTfjsAsync(model: tf.GraphModel, feeds: Readonly<Record<string, TfjsFeed>>,
  outputs?: readonly string[]): Promise<RunOutput[]> {
  const inputs = Object.fromEntries(Object.entries(feeds).map(([name, f]) =>
    [name, tf.tensor(f.data, [...f.shape], f.data instanceof Int32Array ? 'int32' : 'float32')]));
  try {
    const result = await model.executeAsync(inputs, outputs === undefined ? undefined : [...outputs]);
    const list = Array.isArray(result) ? result : [result];
    const out = await Promise.all(list.map(async (t) => ({ data: Float32Array.from(await t.data()), shape: t.shape })));
    tf.dispose(list);
    return out;
  } finally {
    tf.dispose(Object.values(inputs));
  }
}
