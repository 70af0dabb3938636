// HandTracker in VIDEO mode on asl_hand_25fps.mp4 (all 325 frames) against MediaPipe Hands' per-frame
// golden, plus smoothing, detector scheduling, ids, reset, options and dispose.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as ort from 'onnxruntime-node';
import { VisionError } from '../errors.js';
import type { Landmark, RawFrame } from '../types.js';
import { HandTracker, type HandTrackerOptions } from './hand-tracker.js';
import { loadBodyTestModel } from '../testing/body-models.js';
import { decodeVideo, goldenFrame, pixelError, readVideoExpected, videoReference, worldError, type VideoFrame } from '../testing/test-video.js';

const VIDEO = 'asl_hand_25fps.mp4';
const expected = readVideoExpected(VIDEO);
let sessions: { palm: ort.InferenceSession; landmarks: ort.InferenceSession };
let release: () => Promise<void>;
/** Unsmoothed landmarks of the first frames, kept from the full run for the smoothing comparison. */
const unsmoothed: Landmark[][] = [];
const SMOOTHING_FRAMES = 100;

before(async () => {
  const [palm, landmarks] = await Promise.all([loadBodyTestModel('handdetect'), loadBodyTestModel('handlandmark-full')]);
  sessions = { palm: palm.session, landmarks: landmarks.session };
  release = async () => {
    await Promise.all([palm.session.release(), landmarks.session.release()]);
  };
});
after(async () => {
  await release();
});

function tracker(options: HandTrackerOptions): HandTracker {
  return new HandTracker(sessions, options);
}

/** Mean size (pixels) of the landmarks' second differences between frames: high-frequency jitter, not motion. */
function jitter(frames: readonly Landmark[][]): number {
  let sum = 0;
  let n = 0;
  for (let f = 2; f < frames.length; f++) {
    frames[f]!.forEach((p, i) => {
      const q = frames[f - 1]![i]!;
      const r = frames[f - 2]![i]!;
      sum += Math.hypot((p.x - 2 * q.x + r.x) * expected.width, (p.y - 2 * q.y + r.y) * expected.height);
      n++;
    });
  }
  return sum / n;
}

describe('hand tracker on asl_hand_25fps.mp4', () => {
  it('tracks all 325 frames within 22 px / 0.012 m of MediaPipe on ≥ 95% of frames, with few palm detections', async () => {
    // The golden comes from MediaPipe Hands (maxHands 1), which does not smooth: compare unsmoothed output.
    const t = tracker({ maxHands: 1, smoothing: false });
    const screenRef = videoReference(expected, 'hand_landmarks');
    const worldRef = videoReference(expected, 'hand_world_landmarks');
    const pxTol = screenRef.tolerance?.['px'] ?? 22;
    const mTol = worldRef.tolerance?.['abs_m'] ?? 0.012;
    const ids = new Set<number>();
    let frames = 0;
    let screenOk = 0;
    let worldOk = 0;
    let meanPx = 0;
    let meanM = 0;
    let missing = 0;
    const started = performance.now();
    try {
      for await (const frame of decodeVideo(VIDEO, expected)) {
        frames++;
        const r = await t.process(frame, frame.timestampUs);
        assert.equal(r.frameIndex, frame.index);
        assert.equal(r.timestampUs, frame.timestampUs);
        const hand = r.hands[0];
        if (hand === undefined) {
          missing++;
          continue;
        }
        ids.add(hand.id);
        if (frame.index < SMOOTHING_FRAMES) unsmoothed.push(hand.landmarks);
        const screen = pixelError(hand.landmarks, goldenFrame(screenRef, frame.index), expected.width, expected.height);
        const world = worldError(hand.worldLandmarks, goldenFrame(worldRef, frame.index));
        if (screen.max <= pxTol) screenOk++;
        if (world.max <= mTol) worldOk++;
        meanPx += screen.mean;
        meanM += world.mean;
      }
    } finally {
      t.dispose();
    }
    const ms = (performance.now() - started) / frames;
    const found = frames - missing;
    console.log(
      `${VIDEO}: ${frames} frames, hand on ${found}; within ${pxTol} px on ${screenOk} (${((100 * screenOk) / frames).toFixed(1)}%), ` +
        `within ${mTol} m on ${worldOk}; mean error ${(meanPx / found).toFixed(2)} px, world ${(meanM / found).toFixed(4)} m; ` +
        `palm detector on ${t.stats.detectorRuns} frames; ${ms.toFixed(1)} ms/frame incl. decoding`,
    );
    assert.equal(frames, expected.frame_count);
    assert.ok(screenOk >= 0.95 * frames, `only ${screenOk}/${frames} frames within ${pxTol} px`);
    assert.ok(worldOk >= 0.95 * frames, `only ${worldOk}/${frames} frames within ${mTol} m`);
    assert.ok(meanPx / found < 3, `mean error ${meanPx / found} px`);
    assert.ok(t.stats.detectorRuns <= 5, `palm detector ran on ${t.stats.detectorRuns} of ${frames} frames`);
    assert.deepEqual([...ids], [1]);
  });

  it('one-euro smoothing cuts frame-to-frame jitter and stays within tolerance', async () => {
    const t = tracker({ maxHands: 1 });
    const smoothed: Landmark[][] = [];
    let ok = 0;
    const ref = videoReference(expected, 'hand_landmarks');
    try {
      for await (const frame of decodeVideo(VIDEO, expected)) {
        if (frame.index >= SMOOTHING_FRAMES) break;
        const hand = (await t.process(frame, frame.timestampUs)).hands[0];
        assert.ok(hand, `frame ${frame.index}`);
        smoothed.push(hand.landmarks);
        if (pixelError(hand.landmarks, goldenFrame(ref, frame.index), expected.width, expected.height).max <= 22) ok++;
      }
    } finally {
      t.dispose();
    }
    const [raw, smooth] = [jitter(unsmoothed), jitter(smoothed)];
    console.log(`smoothing over ${SMOOTHING_FRAMES} frames: jitter ${raw.toFixed(2)} → ${smooth.toFixed(2)} px/frame²; ${ok} within 22 px`);
    assert.equal(unsmoothed.length, SMOOTHING_FRAMES);
    assert.ok(smooth < 0.9 * raw, `jitter ${raw} → ${smooth}`);
    assert.ok(ok >= 0.95 * SMOOTHING_FRAMES, `${ok} frames within 22 px`);
  });
});

describe('hand tracker scheduling and lifecycle', () => {
  let frames: VideoFrame[] = [];
  before(async () => {
    frames = [];
    for await (const f of decodeVideo(VIDEO, expected)) {
      frames.push(f);
      if (frames.length === 12) break;
    }
  });

  it('looks for a second hand on every frame (MediaPipe), every N frames or only when lost; reset starts a new id', async () => {
    const eager = tracker({ maxHands: 2, smoothing: false });
    const throttled = tracker({ maxHands: 2, smoothing: false, redetectInterval: 5 });
    const lazy = tracker({ maxHands: 2, smoothing: false, detectOnlyWhenLost: true });
    try {
      const eagerRan: boolean[] = [];
      const throttledRan: boolean[] = [];
      for (const f of frames.slice(0, 11)) {
        const a = await eager.process(f, f.timestampUs);
        const b = await throttled.process(f, f.timestampUs);
        const c = await lazy.process(f, f.timestampUs);
        assert.deepEqual([a.hands.length, b.hands.length, c.hands.length], [1, 1, 1], `frame ${f.index}`);
        assert.equal(c.detectorRan, f.index === 0);
        assert.deepEqual([a.hands[0]!.id, b.hands[0]!.id], [1, 1]);
        eagerRan.push(a.detectorRan);
        throttledRan.push(b.detectorRan);
      }
      assert.ok(eagerRan.every(Boolean));
      assert.deepEqual(throttledRan, [true, false, false, false, false, true, false, false, false, false, true]);
      throttled.reset();
      const again = await throttled.process(frames[11]!);
      assert.equal(again.detectorRan, true);
      assert.equal(again.hands[0]!.id, 2);
      // A blank frame loses the hand; the following frame goes back to the detector.
      const blank: RawFrame = { data: new Uint8Array(96 * 96 * 3), width: 96, height: 96, format: 'RGB' };
      const lost = await throttled.process(blank);
      assert.deepEqual([lost.hands.length, lost.detectorRan], [0, false]);
      assert.equal((await throttled.process(blank)).detectorRan, true);
    } finally {
      eager.dispose();
      throttled.dispose();
      lazy.dispose();
    }
  });

  it('rejects bad options naming the field; later calls after dispose fail with VISION_DISPOSED', async () => {
    const field = (f: string) => (e: unknown) => e instanceof VisionError && e.code === 'VISION_INVALID_ARGUMENT' && e.field === f;
    assert.throws(() => tracker({ redetectInterval: -1 }), field('redetectInterval'));
    assert.throws(() => tracker({ maxHands: 0 }), field('maxHands'));
    assert.throws(() => tracker({ smoothing: 'yes' as unknown as boolean }), field('smoothing'));
    const t = tracker({});
    await assert.rejects(t.process(frames[0]!, Number.NaN), field('timestampUs'));
    t.dispose();
    t.dispose();
    await assert.rejects(t.process(frames[0]!), (e: unknown) => e instanceof VisionError && e.code === 'VISION_DISPOSED');
  });
});
