// Test-only adapter running a TFJS graph model (the reference runtime) behind the small part of the
// onnxruntime InferenceSession interface the vision pipelines use; used when no ONNX file is available.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';

interface TfModule {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  tensor(values: Float32Array, shape: number[]): { dispose(): void };
  loadGraphModel(handler: unknown): Promise<TfGraphModel>;
}
interface TfTensor {
  shape: number[];
  dataSync(): Float32Array;
  dispose(): void;
}
interface TfGraphModel {
  inputs: { name: string }[];
  outputs: { name: string }[];
  execute(input: unknown, outputs: string[]): TfTensor | TfTensor[];
  dispose(): void;
}

/** Loads `<dir>/<name>.json` + weights with @tensorflow/tfjs on the cpu backend. */
export async function createTfjsSession(dir: string, name: string): Promise<ort.InferenceSession> {
  const tf = (await import('@tensorflow/tfjs' as string)) as TfModule;
  await tf.setBackend('cpu');
  await tf.ready();
  const json = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as {
    modelTopology: unknown;
    weightsManifest: { paths: string[]; weights: unknown[] }[];
    format?: string;
    signature?: unknown;
  };
  const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFile(join(dir, p)))));
  const all = Buffer.concat(buffers);
  const model = await tf.loadGraphModel({
    load: () =>
      Promise.resolve({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: json.format,
        signature: json.signature,
      }),
  });
  const inputNames = model.inputs.map((i) => i.name);
  const outputNames = model.outputs.map((o) => o.name);
  const session = {
    inputNames,
    outputNames,
    run(feeds: Record<string, ort.Tensor>): Promise<Record<string, { data: Float32Array; dims: number[]; type: string }>> {
      const feed = feeds[inputNames[0]!];
      if (feed === undefined) return Promise.reject(new Error(`missing input ${inputNames[0]}`));
      const input = tf.tensor(feed.data as Float32Array, [...feed.dims]);
      try {
        const res = model.execute(input, outputNames);
        const list = Array.isArray(res) ? res : [res];
        const out: Record<string, { data: Float32Array; dims: number[]; type: string }> = {};
        list.forEach((t, i) => {
          out[outputNames[i]!] = { data: t.dataSync().slice(), dims: t.shape, type: 'float32' };
          t.dispose();
        });
        return Promise.resolve(out);
      } finally {
        input.dispose();
      }
    },
    release(): Promise<void> {
      model.dispose();
      return Promise.resolve();
    },
  };
  return session as unknown as ort.InferenceSession;
}
