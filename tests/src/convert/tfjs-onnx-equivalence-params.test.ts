// The default models whose catalog entries shape the conversion (params.outputs, constantInputs,
// inputShapes), converted with exactly those params and checked against TFJS on real photos:
// CenterNet cut before its in-graph decode, Robust Video Matting with its tf.cond folded away.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import ort from 'onnxruntime-node';
import { convertTfjsGraphModel, weightPaths, type ConvertOptions } from '@tabagent/converters/tfjs';
import { DEFAULT_ENTRIES } from '../../../supervisor/dist/store/catalog-defaults.js';
import { humanModelsDir } from '../support/human-models.js';
import { compareTensors } from './compare.js';
import { imageTensor } from './test-images.js';
import { loadTfjsModel, runTfjsAsync, useCpuBackend, type TfjsFeed } from './tfjs-reference.js';

let modelsDir = '';

before(async () => {
  modelsDir = path.join(await humanModelsDir(), 'models');
  await useCpuBackend();
});

const CASES = [
  // The heatmap is masked by heatmap == maxpool(heatmap): float rounding may flip a near-tie between
  // neighbours, so that output is compared on the peaks that can matter (see peaksAgree).
  { id: 'centernet/mobilenetv3-coco', image: 'couple_and_dog.jpg', input: 'tower_0/images', range: [0, 255] as const, peakMasked: ['tower_0/mul_1'] },
  { id: 'rvm/mobilenetv3-256', image: 'three_people.jpg', input: 'src', range: [0, 1] as const, peakMasked: [] as string[] },
];

/** Peak-masked heatmaps agree: the same cells at or above `min` are peaks, with the same scores (1e-4). */
function peaksAgree(a: Float32Array, b: Float32Array, min = 0.05): { peaks: number; worst: number } {
  let peaks = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < min && b[i]! < min) continue;
    peaks++;
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return { peaks, worst };
}

for (const c of CASES) {
  test(`${c.id}: converted with its catalog params, ONNX matches TFJS on ${c.image}`, async (t) => {
    const entry = DEFAULT_ENTRIES.find((e) => e.id === c.id);
    assert.ok(entry?.params, c.id);
    const p = entry.params as { graph: string; inputSize: { width: number; height: number } } & Pick<ConvertOptions, 'outputs' | 'constantInputs' | 'inputShapes'>;
    const json: unknown = JSON.parse(await readFile(path.join(modelsDir, p.graph), 'utf8'));
    const weights = new Uint8Array(Buffer.concat(await Promise.all(weightPaths(json).map((f) => readFile(path.join(modelsDir, f))))));
    const options: ConvertOptions = {
      ...(p.outputs ? { outputs: p.outputs } : {}), ...(p.constantInputs ? { constantInputs: p.constantInputs } : {}),
      ...(p.inputShapes ? { inputShapes: p.inputShapes } : {}),
    };
    const session = await ort.InferenceSession.create(convertTfjsGraphModel(json, weights, options), { intraOpNumThreads: 2 });
    assert.deepEqual(session.inputNames, [c.input], 'constant inputs are folded away');
    const shape = [1, p.inputSize.height, p.inputSize.width, 3];
    const input = await imageTensor(c.image, p.inputSize.width, p.inputSize.height, c.range);
    const got = await session.run({ [c.input]: new ort.Tensor('float32', input, shape) });
    const feeds: Record<string, TfjsFeed> = { [c.input]: { data: input, shape } };
    for (const [name, v] of Object.entries(p.constantInputs ?? {})) feeds[name] = { data: Float32Array.of(v), shape: [] };
    const model = await loadTfjsModel(json, weights);
    const ref = await runTfjsAsync(model, feeds, session.outputNames);
    model.dispose();
    const report: string[] = [];
    session.outputNames.forEach((name, i) => {
      if (c.peakMasked.includes(name)) {
        const { peaks, worst } = peaksAgree(got[name]!.data as Float32Array, ref[i]!.data);
        assert.ok(peaks > 0 && worst <= 1e-4, `${name}: ${peaks} peaks ≥ 0.05, worst difference ${worst}`);
        report.push(`${name}: ${peaks} peaks ≥ 0.05 agree within ${worst.toExponential(2)}`);
        return;
      }
      const cmp = compareTensors(got[name]!.data as Float32Array, ref[i]!.data);
      assert.deepEqual(got[name]!.dims, ref[i]!.shape, `${name} shape`);
      assert.ok(cmp.refScale > 0, `${name} is all zeros`);
      assert.ok(cmp.relError <= 1e-4, `${name}: relative error ${cmp.relError}`);
      report.push(`${name}: rel ${cmp.relError.toExponential(2)}`);
    });
    t.diagnostic(report.join('; '));
    await session.release();
  });
}
