// PoseTracker in VIDEO mode on pose_squats.mp4 (all 65 frames) against BlazePose's per-frame golden,
// plus re-detection scheduling, losing the person, masks, options and dispose.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type * as ort from 'onnxruntime-node';
import { loadBodyTestModel } from '../testing/body-models.js';
import { decodeVideo, goldenFrame, pixelError, readVideoExpected, videoReference, worldError, type VideoFrame } from '../testing/test-video.js';
import { VisionError } from '../errors.js';
import type { RawFrame } from '../types.js';
import { PoseTracker, type PoseTrackerOptions } from './pose-tracker.js';

const VIDEO = 'pose_squats.mp4';
const expected = readVideoExpected(VIDEO);
/**
 * The golden was made by MediaPipe's Python solution, which stamps frames 33,333 µs apart whatever the
 * video's rate (tfjs-models' test does the same to match it): use that clock for the smoothing filters.
 */
const SIMULATED_INTERVAL_US = 33_333;
let sessions: { detector: ort.InferenceSession; landmarks: ort.InferenceSession };

before(async () => {
  const [detector, landmarks] = await Promise.all([loadBodyTestModel('blazepose-detector'), loadBodyTestModel('blazepose-full')]);
  sessions = { detector: detector.session, landmarks: landmarks.session };
});
after(async () => {
  await Promise.all([sessions.detector.release(), sessions.landmarks.release()]);
});

function tracker(options: PoseTrackerOptions = {}): PoseTracker {
  return new PoseTracker(sessions, options);
}

describe('pose tracker on pose_squats.mp4', () => {
  it('tracks all 65 frames within 31 px / 0.24 m of BlazePose on ≥ 95% of frames, detector on one frame', async () => {
    const t = tracker();
    const screenRef = videoReference(expected, 'pose_landmarks');
    const worldRef = videoReference(expected, 'pose_world_landmarks');
    const pxTol = screenRef.tolerance?.['px'] ?? 31;
    const mTol = worldRef.tolerance?.['abs_m'] ?? 0.24;
    const ids = new Set<number>();
    let frames = 0;
    let screenOk = 0;
    let worldOk = 0;
    let meanPx = 0;
    let meanM = 0;
    let squatDepth = 0;
    const started = performance.now();
    try {
      for await (const frame of decodeVideo(VIDEO, expected)) {
        frames++;
        const ts = frame.index * SIMULATED_INTERVAL_US;
        const r = await t.process(frame, ts);
        assert.deepEqual([r.frameIndex, r.timestampUs], [frame.index, ts]);
        const pose = r.poses[0];
        assert.ok(pose, `no pose on frame ${frame.index}`);
        ids.add(pose.id);
        const screen = pixelError(pose.landmarks, goldenFrame(screenRef, frame.index), expected.width, expected.height);
        const world = worldError(pose.worldLandmarks, goldenFrame(worldRef, frame.index));
        if (screen.max <= pxTol) screenOk++;
        if (world.max <= mTol) worldOk++;
        meanPx += screen.mean;
        meanM += world.mean;
        squatDepth = Math.max(squatDepth, 180 - Math.min(pose.jointAngles!.leftKnee.degrees, pose.jointAngles!.rightKnee.degrees));
      }
    } finally {
      t.dispose();
    }
    const ms = (performance.now() - started) / frames;
    console.log(
      `${VIDEO}: ${frames} frames; within ${pxTol} px on ${screenOk} (${((100 * screenOk) / frames).toFixed(1)}%), within ${mTol} m on ${worldOk}; ` +
        `mean error ${(meanPx / frames).toFixed(2)} px, world ${(meanM / frames).toFixed(4)} m; detector on ${t.stats.detectorRuns} frames; ` +
        `deepest knee bend ${squatDepth.toFixed(0)}°; ${ms.toFixed(1)} ms/frame incl. decoding`,
    );
    assert.equal(frames, expected.frame_count);
    assert.ok(screenOk >= 0.95 * frames, `only ${screenOk}/${frames} frames within ${pxTol} px`);
    assert.ok(worldOk >= 0.95 * frames, `only ${worldOk}/${frames} frames within ${mTol} m`);
    assert.ok(meanPx / frames < 8, `mean error ${meanPx / frames} px`);
    assert.ok(t.stats.detectorRuns <= 3, `detector ran on ${t.stats.detectorRuns} of ${frames} frames`);
    assert.deepEqual([...ids], [1]);
    assert.ok(squatDepth > 60, `squats should bend the knees, deepest bend ${squatDepth}°`);
  });
});

describe('pose tracker scheduling and lifecycle', () => {
  const frames: VideoFrame[] = [];
  before(async () => {
    for await (const f of decodeVideo(VIDEO, expected)) {
      frames.push(f);
      if (frames.length === 7) break;
    }
  });

  it('re-detects every N frames keeping the id; masks ride along; a lost person is searched for again', async () => {
    const t = tracker({ redetectInterval: 3, segmentation: true, smoothing: false });
    try {
      const ran: boolean[] = [];
      for (const f of frames) {
        const r = await t.process(f, f.timestampUs);
        ran.push(r.detectorRan);
        const pose = r.poses[0]!;
        assert.equal(pose.id, 1);
        assert.deepEqual([pose.mask?.width, pose.mask?.height], [expected.width, expected.height]);
        // The person stands in the middle of the frame: the mask is set there and clear in the top corner.
        assert.ok(pose.mask!.data[Math.round(0.3 * expected.height) * expected.width + Math.round(0.47 * expected.width)]! > 200);
        assert.equal(pose.mask!.data[5 * expected.width + 5], 0);
      }
      assert.deepEqual(ran, [true, false, false, true, false, false, true]);
      const blank: RawFrame = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64, format: 'RGB' };
      const lost = await t.process(blank);
      assert.deepEqual([lost.poses.length, lost.detectorRan], [0, false]);
      assert.equal((await t.process(blank)).detectorRan, true);
      const back = await t.process(frames[0]!);
      assert.deepEqual([back.detectorRan, back.poses[0]?.id], [true, 2]);
    } finally {
      t.dispose();
    }
  });

  it('with smoothing, masks are blended with the previous frame: fewer uncertain edge pixels', async () => {
    const plain = tracker({ segmentation: true, smoothing: false });
    const smooth = tracker({ segmentation: true });
    const uncertain = (mask: Uint8Array): number => mask.reduce((n, v) => (v >= 64 && v < 192 ? n + 1 : n), 0);
    try {
      let a = 0;
      let b = 0;
      for (const f of frames) {
        a = uncertain((await plain.process(f, f.timestampUs)).poses[0]!.mask!.data);
        b = uncertain((await smooth.process(f, f.timestampUs)).poses[0]!.mask!.data);
      }
      console.log(`uncertain mask pixels on frame ${frames.length - 1}: ${a} unsmoothed, ${b} smoothed`);
      assert.ok(b < a, `smoothed ${b} vs unsmoothed ${a}`);
    } finally {
      plain.dispose();
      smooth.dispose();
    }
  });

  it('rejects bad options naming the field; calls after dispose fail with VISION_DISPOSED', async () => {
    const field = (f: string) => (e: unknown) => e instanceof VisionError && e.code === 'VISION_INVALID_ARGUMENT' && e.field === f;
    assert.throws(() => tracker({ redetectInterval: 1.5 }), field('redetectInterval'));
    assert.throws(() => tracker({ minPresenceConfidence: 2 }), field('minPresenceConfidence'));
    assert.throws(() => tracker({ smoothing: 1 as unknown as boolean }), field('smoothing'));
    const t = tracker();
    const r = await t.process(frames[0]!);
    assert.equal(r.timestampUs, 0);
    assert.equal((await t.process(frames[1]!)).timestampUs, 33_333);
    t.dispose();
    t.dispose();
    await assert.rejects(t.process(frames[0]!), (e: unknown) => e instanceof VisionError && e.code === 'VISION_DISPOSED');
  });
});
