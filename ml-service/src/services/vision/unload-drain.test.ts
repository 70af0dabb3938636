// Unloading a model while a call runs on it (drain, then dispose): the FaceMesh call on a large frame
// finishes with the same faces as before, new calls on the model are refused while the unload waits,
// the sessions are disposed only after the call, and an unload whose time runs out is refused while
// the model keeps serving.

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Metadata } from '@grpc/grpc-js';
import { createLogger, encodeRoles, MODELS_KEY, TabagentError } from '@tabagent/common';
import { FaceMeshRequest, type FaceMeshResponse } from '@tabagent/protos/v1/vision';
import sharp from 'sharp';
import { LoadedModels } from '../../runtime/loaded-models.js';
import { createOnnxLoader } from '../../runtime/onnx-loader.js';
import { readImageBytes } from '../../vision/testing/golden.js';
import { loadFaceTestModel, type TestModel } from '../../vision/testing/models.js';
import { onnxBytesOf } from '../../vision/testing/onnx-bytes.js';
import { faceMethods } from './face-methods.js';

const IDS = { detector: 'test/face-detection', landmarks: 'test/face-mesh' } as const;
let local: TestModel[];
let bytes: Map<string, Uint8Array>;
let loadedModels: LoadedModels;
let bigFrame: FaceMeshRequest;
const events: string[] = [];

async function load(id: string): Promise<void> {
  const data = bytes.get(id)!;
  await loadedModels.load({ model: id, task: 'vision', runtime: 'onnxruntime', files: [{ path: 'model.onnx', size: data.length, sha256: '' }], options: undefined, paramsJson: '' });
  // Record when the sessions go away, with the calls still counted on the model at that moment.
  const model = loadedModels.get(id);
  const handle = model.handle as { dispose(): Promise<void> };
  const dispose = handle.dispose.bind(handle);
  handle.dispose = () => {
    events.push(`dispose ${id} with ${model.calls.inFlight} call(s) in flight`);
    return dispose();
  };
}

before(async () => {
  local = await Promise.all([loadFaceTestModel('facemesh-detection-short'), loadFaceTestModel('facemesh')]);
  bytes = new Map([[IDS.detector, await onnxBytesOf(local[0]!)], [IDS.landmarks, await onnxBytesOf(local[1]!)]]);
  loadedModels = new LoadedModels({
    loaders: [createOnnxLoader()], defaultThreads: 1, log: createLogger({ proc: 'test', level: 'silent' }),
    fileReader: (manifest) => () => Promise.resolve(bytes.get(manifest.model)!),
  });
  for (const id of Object.values(IDS)) await load(id);
  // portrait.jpg enlarged four times as a PNG: decoding it alone keeps the call busy for a while.
  const png = await sharp(Buffer.from(readImageBytes('portrait.jpg'))).resize({ width: 3280 }).png({ compressionLevel: 1 }).toBuffer();
  bigFrame = FaceMeshRequest.fromPartial({ frame: { encoded: png } });
});
after(async () => {
  await loadedModels.disposeAll();
  await Promise.all(local.map((m) => m.session.release()));
});

function metadata(): Metadata {
  const m = new Metadata();
  m.set(MODELS_KEY, encodeRoles({ detector: IDS.detector, landmarks: IDS.landmarks }));
  return m;
}

const code = (c: string, model: string) => (e: unknown) => e instanceof TabagentError && e.code === c && e.message.includes(`"${model}"`);

function firstFace(r: FaceMeshResponse): number[] {
  assert.equal(r.faces.length, 1);
  return r.faces[0]!.landmarks.flatMap((p) => [p.x, p.y]);
}

it('unload waits for the FaceMesh call in flight, refuses new calls meanwhile, then disposes the sessions', async () => {
  const methods = faceMethods(loadedModels);
  const reference = firstFace(await methods.faceMesh(bigFrame, metadata()));
  events.length = 0;
  const started = performance.now();
  let finishedAt = Number.NaN;
  const call = methods.faceMesh(bigFrame, metadata()).then((r) => {
    finishedAt = performance.now();
    return r;
  });
  const unload = loadedModels.unload(IDS.landmarks, { drainTimeoutMs: 60_000 });
  const draining = loadedModels.get(IDS.landmarks).calls;
  assert.deepEqual([draining.state, draining.inFlight], ['draining', 1]);
  await assert.rejects(methods.faceMesh(bigFrame, metadata()), code('TA_ERR_FAILED_PRECONDITION', IDS.landmarks));
  const wasLoaded = await unload;
  const unloadedAt = performance.now();
  const res = await call;
  console.log(`FaceMesh on a 3280x4096 PNG took ${(finishedAt - started).toFixed(0)} ms; the unload answered after ${(unloadedAt - started).toFixed(0)} ms`);
  assert.equal(wasLoaded, true);
  assert.deepEqual(events, [`dispose ${IDS.landmarks} with 0 call(s) in flight`]);
  // The unload answers only once the call's work is done (the call's promise settles a few microtasks around it).
  assert.ok(finishedAt <= unloadedAt + 5, `the unload answered ${(finishedAt - unloadedAt).toFixed(0)} ms before the call finished`);
  assert.deepEqual(firstFace(res), reference);
  assert.equal(loadedModels.find(IDS.landmarks), undefined);
  await assert.rejects(methods.faceMesh(bigFrame, metadata()), code('TA_ERR_MODEL_NOT_LOADED', IDS.landmarks));
  // The other model of the call was not touched.
  assert.equal(loadedModels.get(IDS.detector).calls.state, 'serving');
  await load(IDS.landmarks);
});

it('an unload whose time runs out while a call is in flight is refused, and the model keeps serving', async () => {
  const methods = faceMethods(loadedModels);
  events.length = 0;
  const call = methods.faceMesh(bigFrame, metadata());
  await assert.rejects(loadedModels.unload(IDS.landmarks, { drainTimeoutMs: 0 }), code('TA_ERR_DEADLINE_EXCEEDED', IDS.landmarks));
  assert.equal(firstFace(await call).length, 468 * 2);
  assert.deepEqual(events, []);
  assert.equal(firstFace(await methods.faceMesh(bigFrame, metadata())).length, 468 * 2);
  assert.equal(loadedModels.get(IDS.landmarks).calls.inFlight, 0);
});

