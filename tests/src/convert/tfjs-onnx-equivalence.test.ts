// Converts every default TFJS vision model to ONNX and checks onnxruntime against TFJS on real photos.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import ort from 'onnxruntime-node';
import {
  convertTfjsGraphModel, describeModelIo, weightPaths,
} from '@tabagent/converters/tfjs';
import { humanModelsDir } from '../support/human-models.js';
import { compareTensors } from './compare.js';
import { MODEL_CASES } from './model-cases.js';
import { imageTensor } from './test-images.js';
import { loadTfjsModel, runTfjs, useCpuBackend } from './tfjs-reference.js';

/** Largest accepted max|onnx - tfjs| / max(|tfjs|, 1e-3) per output (unless the case says otherwise). */
const REL_TOLERANCE = 1e-4;

let modelsDir = '';

before(async () => {
  modelsDir = path.join(await humanModelsDir(), 'models');
  await useCpuBackend();
});

async function loadModel(name: string): Promise<{ json: unknown; weights: Uint8Array }> {
  const json: unknown = JSON.parse(await readFile(path.join(modelsDir, `${name}.json`), 'utf8'));
  const parts = await Promise.all(weightPaths(json).map((p) => readFile(path.join(modelsDir, p))));
  return { json, weights: new Uint8Array(Buffer.concat(parts)) };
}

for (const c of MODEL_CASES) {
  test(`${c.name}: converted ONNX matches TFJS on ${c.image}`, async (t) => {
    const { json, weights } = await loadModel(c.name);
    const onnxBytes = convertTfjsGraphModel(json, weights, { name: c.name });
    const io = describeModelIo(json);
    const inputShape = io.inputs[0]?.shape;
    assert.ok(inputShape !== undefined && inputShape.length === 4, 'rank-4 image input');
    const [, h, w, ch] = inputShape;
    assert.equal(ch, 3);
    const shape = [1, h as number, w as number, 3];
    const input = await imageTensor(c.image, shape[2] as number, shape[1] as number, c.range, await c.region?.());

    const session = await ort.InferenceSession.create(onnxBytes, { intraOpNumThreads: 2, interOpNumThreads: 1 });
    assert.deepEqual(session.inputNames, io.inputs.map((e) => e.name));
    assert.deepEqual(session.outputNames, io.outputs.map((e) => e.name));
    const feeds = { [session.inputNames[0] as string]: new ort.Tensor('float32', input, shape) };
    const onnxOut = await session.run(feeds);

    const model = await loadTfjsModel(json, weights);
    const ref = runTfjs(model, input, shape);
    model.dispose();
    assert.equal(ref.length, session.outputNames.length);

    const report: string[] = [];
    session.outputNames.forEach((name, i) => {
      const expected = ref[i];
      const actual = onnxOut[name];
      assert.ok(expected !== undefined && actual !== undefined);
      assert.deepEqual(actual.dims, expected.shape, `${name} shape`);
      const cmp = compareTensors(actual.data as Float32Array, expected.data);
      report.push(`${name}: rel ${cmp.relError.toExponential(2)} (max|diff| ${cmp.maxAbsDiff.toExponential(2)}, ` +
        `scale ${cmp.refScale.toPrecision(4)})`);
      assert.ok(cmp.refScale > 0, `${name} is all zeros: the test input does not exercise the model`);
      const tolerance = c.tolerances?.[name] ?? REL_TOLERANCE;
      assert.ok(cmp.relError <= tolerance,
        `${c.name} output ${name}: relative error ${cmp.relError} > ${tolerance} at ${cmp.worstIndex}`);
    });
    t.diagnostic(report.join('; '));
    await session.release();
  });
}
