// The hand landmark stage exactly as MediaPipe Tasks tests it (hand_landmarks_detector_graph_test.cc,
// the test the left_hands.jpg golden comes from): the image plus a given hand rect, no palm
// detection. The left half of the image (rotation 0) holds the raised hand, the right half rotated
// by π the lowered one; every landmark must be within kAbsMargin = 0.03 of the golden in x and in y
// (the fraction term, 0.03 of the value, is never larger for normalized coordinates), presence
// true and handedness "Left", for the full and the lite model.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BufferPool } from '../image/buffer-pool.js';
import { decodeImage } from '../image/decode.js';
import { findReference, readExpected, readImageBytes } from '../testing/golden.js';
import type { NormalizedRect } from '../types.js';
import { HandLandmarkModel } from './hand-landmarks.js';
import { loadBodyTestModel } from '../testing/body-models.js';

/** MediaPipe's kAbsMargin for this golden. */
const ABS_MARGIN = 0.03;

/** The rects of MediaPipe's test, in the golden's instance order (raised hand, lowered hand). */
const RECTS: readonly NormalizedRect[] = [
  { xCenter: 0.25, yCenter: 0.5, width: 0.5, height: 1, rotation: 0 },
  { xCenter: 0.75, yCenter: 0.5, width: 0.5, height: 1, rotation: Math.PI },
];

describe('hand landmarks on MediaPipe\'s own hand rects (left_hands.jpg)', () => {
  for (const model of ['handlandmark-full', 'handlandmark-lite'] as const) {
    it(`${model}: every landmark within ${ABS_MARGIN} of the Tasks golden, presence, handedness Left`, async () => {
      const loaded = await loadBodyTestModel(model);
      try {
        const image = await decodeImage(readImageBytes('left_hands.jpg'));
        const ref = findReference(readExpected('left_hands.jpg'), 'hand_landmarks', 'Tasks');
        const stage = new HandLandmarkModel(loaded.session, new BufferPool());
        assert.equal(ref.instances?.length, RECTS.length);
        for (const [i, rect] of RECTS.entries()) {
          const inst = ref.instances![i]!;
          const got = await stage.run(image, rect);
          let max = 0;
          let sum = 0;
          inst.landmarks!.forEach((w, k) => {
            const g = got.landmarks[k]!;
            const d = Math.max(Math.abs(g.x - w.x), Math.abs(g.y - w.y));
            assert.ok(d <= ABS_MARGIN, `${inst.name} landmark ${k}: off by ${d.toFixed(4)} (x ${g.x.toFixed(4)} vs ${w.x}, y ${g.y.toFixed(4)} vs ${w.y})`);
            max = Math.max(max, d);
            sum += d;
          });
          console.log(`${model} ${inst.name}: max ${max.toFixed(4)}, mean ${(sum / 21).toFixed(4)}, presence ${got.presence.toFixed(3)}`);
          assert.ok(got.presence > 0.5, `presence ${got.presence}`);
          // The model's handedness output is the probability of MediaPipe's "Right" label.
          assert.ok(got.rightScore < 0.5, `handedness: P(Right) = ${got.rightScore}, expected Left`);
        }
      } finally {
        await loaded.session.release();
      }
    });
  }
});
