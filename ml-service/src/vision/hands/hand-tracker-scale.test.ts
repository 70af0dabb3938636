// HandTracker on a hand filling the frame (the large-hand set's upright thumb-up on a dark
// 1280×1280 frame, which palm detection on the image alone misses): found on the first frame
// through the zoomed-out palm pass, then tracked with one id; with palm detection on the image
// only it is not found at all.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { RawFrame } from '../types.js';
import { loadBodyTestModel } from '../testing/body-models.js';
import { largeHandSpecs, makeLargeHandCase, type LargeHandCase } from '../testing/large-hands.js';
import { scoreLargeHand } from '../testing/large-hands-score.js';
import { HandTracker, type HandTrackerOptions, type HandTrackingResult } from './hand-tracker.js';

const FRAMES = 4;
let sessions: { palm: ort.InferenceSession; landmarks: ort.InferenceSession };
let release: () => Promise<void>;
let hand: LargeHandCase;
let frame: RawFrame;

before(async () => {
  const [palm, landmarks] = await Promise.all([loadBodyTestModel('handdetect'), loadBodyTestModel('handlandmark-full')]);
  sessions = { palm: palm.session, landmarks: landmarks.session };
  release = async () => {
    await Promise.all([palm.session.release(), landmarks.session.release()]);
  };
  const spec = largeHandSpecs().find(
    (s) => s.source.name === 'thumb_up' && s.frame.width === 1280 && s.background === 'dark' && s.rotationDeg === 0,
  );
  assert.ok(spec);
  hand = await makeLargeHandCase(spec);
  const { data, info } = await sharp(hand.encoded).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  frame = { data: new Uint8Array(data), width: info.width, height: info.height, format: 'RGB' };
});
after(async () => {
  await release();
});

async function track(options: HandTrackerOptions): Promise<HandTrackingResult[]> {
  const t = new HandTracker(sessions, { smoothing: false, ...options });
  const results: HandTrackingResult[] = [];
  try {
    for (let i = 0; i < FRAMES; i++) results.push(await t.process(frame, i * 40_000));
  } finally {
    t.dispose();
  }
  return results;
}

describe('hand tracker on a hand filling the frame', () => {
  for (const maxHands of [1, 2]) {
    it(`maxHands ${maxHands}: finds the thumb-up on the first frame (Left, Thumb_Up) and keeps its id on the next ${FRAMES - 1}`, async () => {
      const results = await track({ maxHands });
      assert.equal(results.length, FRAMES);
      results.forEach((r, i) => {
        assert.equal(r.hands.length, 1, `frame ${i}: ${r.hands.length} hands`);
        const h = r.hands[0]!;
        const score = scoreLargeHand(hand, [{ landmarks: h.landmarks, handedness: h.handedness.label, gesture: h.gesture?.name }]);
        assert.ok(score.found, `frame ${i}: ${score.inside} of the landmarks on the hand`);
        assert.equal(h.handedness.label, 'Left', `frame ${i}`);
        assert.equal(h.gesture?.name, 'Thumb_Up', `frame ${i}`);
        assert.equal(h.id, 1, `frame ${i}`);
      });
      // The palm detector seeds the track; with one hand wanted, it does not run again while tracked.
      assert.equal(results[0]!.detectorRan, true);
      if (maxHands === 1) assert.deepEqual(results.map((r) => r.detectorRan), [true, false, false, false]);
    });
  }

  it('with palm detection on the image only (palmScales [1]) the hand is never found', async () => {
    const results = await track({ maxHands: 1, palmScales: [1] });
    assert.deepEqual(results.map((r) => [r.hands.length, r.detectorRan]), Array.from({ length: FRAMES }, () => [0, true]));
  });
});
