// FaceMesh on real photos: 468/478 landmarks against MediaPipe's golden, iris centres, face counts.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { VisionError } from '../../vision/errors.js';
import type { Landmark } from '../../vision/types.js';
import { findReference, readExpected, readImageBytes, type ExpectedPoint } from '../../vision/testing/golden.js';
import { loadFaceTestModels, releaseAll, type TestModel } from '../../vision/testing/models.js';
import { FaceMesh } from './face-mesh.js';

let models: Record<'facemesh-detection-short' | 'facemesh' | 'facemesh-attention', TestModel>;
let golden: ExpectedPoint[];

before(async () => {
  models = await loadFaceTestModels(['facemesh-detection-short', 'facemesh', 'facemesh-attention']);
  const ref = findReference(readExpected('portrait.jpg'), 'face_landmarks', 'Tasks FaceLandmarker');
  golden = ref.instances![0]!.landmarks!;
});
after(() => releaseAll(models));

function compare(landmarks: readonly Landmark[], count: number): { mean: number; max: number; worst: number } {
  let sum = 0;
  let max = 0;
  let worst = -1;
  for (let i = 0; i < count; i++) {
    const p = landmarks[i]!;
    const g = golden[i]!;
    const e = Math.max(Math.abs(p.x - g.x), Math.abs(p.y - g.y));
    sum += e;
    if (e > max) {
      max = e;
      worst = i;
    }
  }
  return { mean: sum / count, max, worst };
}

for (const [model, count] of [['facemesh', 468], ['facemesh-attention', 478]] as const) {
  test(`portrait.jpg: ${count} landmarks (${model}) each within 0.03 of MediaPipe's golden`, async () => {
    const mesh = new FaceMesh({ detector: models['facemesh-detection-short'].session, mesh: models[model].session });
    try {
      const faces = await mesh.process({ encoded: readImageBytes('portrait.jpg') });
      assert.equal(faces.length, 1);
      const face = faces[0]!;
      assert.equal(face.landmarks.length, count);
      assert.equal(mesh.refine, count === 478);
      assert.ok(face.presence > 0.9, `presence ${face.presence}`);
      const err = compare(face.landmarks, count);
      console.log(`${model} (${models[model].runtime}): mean abs error ${err.mean.toFixed(5)}, max ${err.max.toFixed(5)} at #${err.worst}; timings ${JSON.stringify(mesh.timings)}`);
      assert.ok(err.max < 0.03, `landmark #${err.worst} off by ${err.max}`);
      assert.ok(err.mean < 0.01, `mean error ${err.mean}`);
      assert.ok(face.box.xmin > 0.3 && face.box.xmin + face.box.width < 0.7, `box ${JSON.stringify(face.box)}`);
      assert.ok(Math.abs(face.roi.rotation) < 0.1, `roi rotation ${face.roi.rotation}`);
    } finally {
      mesh.dispose();
      mesh.dispose();
    }
  });
}

test('portrait.jpg: refined iris centres within 5 px of the MediaPipe Solutions reference', async () => {
  const expected = readExpected('portrait.jpg');
  const ref = findReference(expected, 'face_landmarks_subset', 'Solutions FaceMesh').instances![0]!.landmarks_by_index!;
  const mesh = new FaceMesh({ detector: models['facemesh-detection-short'].session, mesh: models['facemesh-attention'].session });
  try {
    const [face] = await mesh.process({ encoded: readImageBytes('portrait.jpg') });
    assert.ok(face);
    for (const index of [468, 473]) {
      const p = face.landmarks[index]!;
      const r = ref[String(index)]!;
      const px = Math.hypot((p.x - r.x) * expected.width, (p.y - r.y) * expected.height);
      assert.ok(px <= 5, `iris #${index} is ${px.toFixed(1)} px from the reference`);
    }
  } finally {
    mesh.dispose();
  }
});

test('face counts with detection ≥ 0.3 confirmed by attention-mesh presence: family 7, three people 3, cats 0', async () => {
  // The half-hidden seventh face in family_group scores 0.38 in the detector, so detection is lenient and
  // the mesh presence decides (the attention model rejects the cat face that the 468-point model accepts).
  const mesh = new FaceMesh(
    { detector: models['facemesh-detection-short'].session, mesh: models['facemesh-attention'].session },
    { maxFaces: 10, minDetectionScore: 0.3 },
  );
  try {
    for (const image of ['family_group.jpg', 'three_people.jpg', 'cats_and_dogs.jpg']) {
      const faces = await mesh.process({ encoded: readImageBytes(image) });
      assert.equal(faces.length, readExpected(image).counts.faces, image);
      for (const f of faces) assert.ok(f.presence >= 0.5);
    }
  } finally {
    mesh.dispose();
  }
});

test('refine on a model without attention outputs is rejected', () => {
  assert.throws(
    () => new FaceMesh({ detector: models['facemesh-detection-short'].session, mesh: models['facemesh'].session }, { refine: true }),
    (e: unknown) => e instanceof VisionError && e.code === 'VISION_INVALID_ARGUMENT' && e.message.includes('options.refine'),
  );
});
