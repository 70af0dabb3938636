// IrisLandmarker on portrait.jpg against the MediaPipe Solutions eye and iris reference points.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FaceMesh } from './face-mesh.js';
import { LEFT_EYE_INDICES, RIGHT_EYE_INDICES } from '../../vision/face-mesh/refinement.js';
import { decodeImage } from '../../vision/image/decode.js';
import { VisionError } from '../../vision/errors.js';
import { findReference, readExpected, readImageBytes } from '../../vision/testing/golden.js';
import { loadFaceTestModels, releaseAll, type TestModel } from '../../vision/testing/models.js';
import { IrisLandmarker } from '../../vision/iris/iris-landmarker.js';

let models: Record<'facemesh-detection-short' | 'facemesh' | 'iris', TestModel>;
before(async () => {
  models = await loadFaceTestModels(['facemesh-detection-short', 'facemesh', 'iris']);
});
after(() => releaseAll(models));

test('portrait.jpg: iris centres, eye contours, diameter and gaze', async () => {
  const expected = readExpected('portrait.jpg');
  const ref = findReference(expected, 'face_landmarks_subset', 'Solutions FaceMesh');
  const pts = ref.instances![0]!.landmarks_by_index!;
  const tolPx = ref.tolerance!['px']!;
  const image = await decodeImage(readImageBytes('portrait.jpg'));
  const mesh = new FaceMesh({ detector: models['facemesh-detection-short'].session, mesh: models['facemesh'].session });
  const iris = new IrisLandmarker(models.iris.session);
  try {
    const [face] = await mesh.runRgb(image);
    assert.ok(face);
    const result = await iris.process(image, face.landmarks);
    const px = (p: { x: number; y: number }, r: { x: number; y: number }): number =>
      Math.hypot((p.x - r.x) * image.width, (p.y - r.y) * image.height);
    for (const [side, base, indices] of [['left', 468, LEFT_EYE_INDICES], ['right', 473, RIGHT_EYE_INDICES]] as const) {
      const eye = result[side];
      assert.equal(eye.iris.length, 5);
      assert.equal(eye.contour.length, 71);
      for (let k = 0; k < 5; k++) {
        const d = px(eye.iris[k]!, pts[String(base + k)]!);
        assert.ok(d <= tolPx, `${side} iris point ${k} is ${d.toFixed(1)} px off`);
      }
      let worst = 0;
      for (let k = 0; k < 16; k++) worst = Math.max(worst, px(eye.contour[k]!, pts[String(indices[k])]!));
      assert.ok(worst <= tolPx, `${side} eye contour up to ${worst.toFixed(1)} px off`);
      // reference iris spans 15-17 px → diameter ≈ 16 px of 820
      assert.ok(Math.abs(eye.irisDiameter * image.width - 16) < 3, `${side} diameter ${(eye.irisDiameter * image.width).toFixed(1)} px`);
      console.log(`${side} eye: iris centre ${px(eye.iris[0]!, pts[String(base)]!).toFixed(2)} px from reference, contour max ${worst.toFixed(2)} px, gaze yaw ${(eye.gaze.yaw * 180 / Math.PI).toFixed(1)}° pitch ${(eye.gaze.pitch * 180 / Math.PI).toFixed(1)}°`);
    }
    // He looks into the camera: gaze close to straight ahead.
    assert.ok(Math.abs(result.gaze.yaw) < 0.26 && Math.abs(result.gaze.pitch) < 0.26, JSON.stringify(result.gaze));
    console.log(`iris timings ${JSON.stringify(iris.timings)}`);
  } finally {
    mesh.dispose();
    iris.dispose();
    iris.dispose();
  }
  await assert.rejects(iris.process(image, []), (e: unknown) => e instanceof VisionError && e.code === 'VISION_DISPOSED');
});
