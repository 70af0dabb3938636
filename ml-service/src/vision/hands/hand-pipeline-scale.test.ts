// HandPipeline on hands that fill the frame: the large-hand set (crops of the shared hand photos
// scaled to fill 1920×1280 and 1280×1280 frames on plain dark and light backgrounds, rotated),
// made at run time with sharp. A subset keeps the test short: every source and frame upright on
// both backgrounds, and the other five rotations on the dark 1920×1280 frame (63 cases).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadBodyTestModel } from '../testing/body-models.js';
import { largeHandSpecs, makeLargeHandCase } from '../testing/large-hands.js';
import { formatSummary, scoreLargeHand, summarize, type LargeHandScore } from '../testing/large-hands-score.js';
import { HandPipeline } from './hand-pipeline.js';

let pipeline: HandPipeline;

before(async () => {
  const [palm, landmarks] = await Promise.all([loadBodyTestModel('handdetect'), loadBodyTestModel('handlandmark-full')]);
  pipeline = new HandPipeline({ palm: palm.session, landmarks: landmarks.session });
});
after(async () => {
  await pipeline.dispose();
});

const SUBSET = largeHandSpecs().filter((s) => s.rotationDeg === 0 || (s.background === 'dark' && s.frame.width === 1920));

/**
 * Measured on this subset (scripts/src/hands-scale-recall.ts runs the whole set): 46/63 (73%) with
 * palm detection on the image only, 58/63 (92%) with the zoomed-out pass. 0.85 lies between, with
 * room for a few cases flipping on another onnxruntime build.
 */
const MIN_RECALL = 0.85;

describe('hand pipeline on hands filling the frame', () => {
  const scores: LargeHandScore[] = [];

  it(`finds the hand in at least ${MIN_RECALL * 100}% of ${SUBSET.length} large-hand frames, landmarks on the hand`, async () => {
    for (const spec of SUBSET) {
      const c = await makeLargeHandCase(spec);
      const hands = await pipeline.detect({ encoded: c.encoded });
      scores.push(scoreLargeHand(c, hands.map((h) => ({ landmarks: h.landmarks, handedness: h.handedness.label, gesture: h.gesture?.name }))));
    }
    const summary = summarize(scores);
    console.log(formatSummary('large-hand subset', summary));
    console.log(`missed: ${scores.filter((s) => !s.found).map((s) => s.name).join(', ') || 'none'}`);
    assert.equal(summary.cases, 63);
    assert.ok(summary.found / summary.cases >= MIN_RECALL, `recall ${summary.found}/${summary.cases}`);
    // A found hand has its handedness right in all but a few rotated cases.
    assert.ok(summary.handednessRight >= summary.found - 3, `handedness right on ${summary.handednessRight} of ${summary.found} found`);
  });

  it('upright: thumb-up, pointing-up, thumbs-down, open palm, fist and the down-pointing hand are each found with the right handedness and gesture', () => {
    // The V sign is left out: cut out of its blurred photo, this palm model finds it in under half the frames.
    const upright = scores.filter((s) => s.name.endsWith('/0°') && !s.name.startsWith('victory@'));
    assert.equal(upright.length, 24);
    for (const s of upright) {
      assert.ok(s.found, `${s.name}: not found`);
      assert.ok(s.inside >= 0.9, `${s.name}: ${s.inside} of the landmarks on the hand`);
      assert.ok(s.handednessRight, `${s.name}: handedness ${s.handedness}`);
      if (s.gestureRight !== undefined) assert.ok(s.gestureRight, `${s.name}: gesture ${s.gesture}`);
    }
    const thumbUp = upright.filter((s) => s.name.startsWith('thumb_up@'));
    assert.deepEqual(thumbUp.map((s) => s.gesture), ['Thumb_Up', 'Thumb_Up', 'Thumb_Up', 'Thumb_Up']);
  });
});
