// FaceDetector on real photos against MediaPipe's short-range detection golden and face counts.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { VisionError } from '../errors.js';
import { findReference, readExpected, readImageBytes } from '../testing/golden.js';
import { loadFaceTestModel, type TestModel } from '../testing/models.js';
import { FaceDetector } from './face-detector.js';

let model: TestModel;
let detector: FaceDetector;

before(async () => {
  model = await loadFaceTestModel('facemesh-detection-short');
  detector = new FaceDetector(model.session);
});
after(async () => {
  detector.dispose();
  await model.session.release();
});

test('portrait.jpg: one face matching MediaPipe Tasks box (5% of image) and keypoints (0.01)', async () => {
  const expected = readExpected('portrait.jpg');
  const ref = findReference(expected, 'face_detection', 'Tasks FaceDetector, short-range').instances![0]!;
  const faces = await detector.detect({ encoded: readImageBytes('portrait.jpg') });
  assert.equal(faces.length, 1);
  const face = faces[0]!;
  console.log(`face detection (${model.runtime}): score ${face.score.toFixed(3)}, box ${JSON.stringify(face.box)}; timings ${JSON.stringify(detector.timings)}`);
  assert.ok(face.score > 0.8, `score ${face.score}`);
  for (const k of ['xmin', 'ymin', 'width', 'height'] as const) {
    assert.ok(Math.abs(face.box[k] - ref.box![k]) < 0.05, `box.${k}: ${face.box[k]} vs ${ref.box![k]}`);
  }
  assert.equal(face.keypoints.length, 6);
  face.keypoints.forEach((p, i) => {
    const r = ref.keypoints![i]!;
    assert.ok(Math.abs(p.x - r.x) < 0.01 && Math.abs(p.y - r.y) < 0.01, `keypoint ${i}: (${p.x}, ${p.y}) vs (${r.x}, ${r.y})`);
  });
});

for (const image of ['three_people.jpg', 'cats_and_dogs.jpg']) {
  test(`${image}: face count matches the expected count`, async () => {
    const expected = readExpected(image);
    const faces = await detector.detect({ encoded: readImageBytes(image) });
    console.log(`${image}: ${faces.length} faces, scores ${faces.map((f) => f.score.toFixed(2)).join(' ')}`);
    assert.equal(faces.length, expected.counts.faces);
    for (const f of faces) assert.ok(f.score >= 0.5 && f.box.width > 0 && f.box.height > 0);
  });
}

test('family_group.jpg: six confident faces; the half-hidden seventh scores between 0.3 and 0.5', async () => {
  const bytes = readImageBytes('family_group.jpg');
  const confident = await detector.detect({ encoded: bytes });
  assert.equal(confident.length, 6);
  const lenient = new FaceDetector(model.session, { minScore: 0.3 });
  try {
    const all = await lenient.detect({ encoded: bytes });
    assert.equal(all.length, readExpected('family_group.jpg').counts.faces);
    const weakest = all[all.length - 1]!;
    assert.ok(weakest.score >= 0.3 && weakest.score < 0.5, `weakest ${weakest.score}`);
  } finally {
    lenient.dispose();
  }
});

test('maxFaces limits the result to the best faces', async () => {
  const one = new FaceDetector(model.session, { maxFaces: 2 });
  try {
    const faces = await one.detect({ encoded: readImageBytes('family_group.jpg') });
    assert.equal(faces.length, 2);
    assert.ok(faces[0]!.score >= faces[1]!.score);
  } finally {
    one.dispose();
  }
});

test('bad inputs raise VISION_INVALID_ARGUMENT; a disposed detector raises VISION_DISPOSED', async () => {
  const invalid = (field: string) => (err: unknown): boolean =>
    err instanceof VisionError && err.code === 'VISION_INVALID_ARGUMENT' && err.message.includes(field);
  await assert.rejects(detector.detect({ data: new Uint8Array(10), width: 4, height: 4, format: 'RGB' }), invalid('frame.data'));
  await assert.rejects(detector.detect({ encoded: new Uint8Array([1, 2, 3, 4]) }), invalid('frame.encoded'));
  await assert.rejects(detector.detect({ data: new Uint8Array(3), width: 1, height: 1, format: 'NV12' as 'RGB' }), invalid('frame.format'));
  assert.throws(() => new FaceDetector(model.session, { maxFaces: 0 }), invalid('options.maxFaces'));
  const gone = new FaceDetector(model.session);
  gone.dispose();
  gone.dispose();
  await assert.rejects(gone.detect({ encoded: readImageBytes('portrait.jpg') }), (e: unknown) => e instanceof VisionError && e.code === 'VISION_DISPOSED');
});
