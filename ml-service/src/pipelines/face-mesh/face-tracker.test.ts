// VIDEO-mode tracking on a 100-frame sequence made from portrait.jpg (window shifted and scaled a few
// pixels per frame): one stable id, few detector runs, landmarks matching per-frame detection.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { FaceMesh } from './face-mesh.js';
import { VisionError } from '../../vision/errors.js';
import type { RawFrame } from '../../vision/types.js';
import { readImageBytes } from '../../vision/testing/golden.js';
import { loadFaceTestModels, releaseAll, type TestModel } from '../../vision/testing/models.js';
import { FaceTracker } from './face-tracker.js';

const FRAMES = 100;
const OUT_W = 480;
const OUT_H = 600;
let models: Record<'facemesh-detection-short' | 'facemesh' | 'iris', TestModel>;
let frames: RawFrame[];

/** Frame i: a window of portrait.jpg drifting by ≤ 3 px and zooming by ≤ 1% per frame, resized to 480×600. */
async function makeFrames(): Promise<RawFrame[]> {
  const bytes = readImageBytes('portrait.jpg');
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const out: RawFrame[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const w = Math.round(640 + 24 * Math.sin((2 * Math.PI * i) / 40));
    const h = Math.round(w * 1.25);
    const left = Math.round(90 + 20 * Math.sin((2 * Math.PI * i) / 50));
    const top = Math.round(20 + 15 * Math.sin((2 * Math.PI * i) / 35));
    const raw = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
      .extract({ left, top, width: w, height: Math.min(h, info.height - top) })
      .resize(OUT_W, OUT_H, { fit: 'fill' })
      .raw()
      .toBuffer();
    out.push({ data: new Uint8Array(raw), width: OUT_W, height: OUT_H, format: 'RGB' });
  }
  return out;
}

before(async () => {
  [models, frames] = await Promise.all([loadFaceTestModels(['facemesh-detection-short', 'facemesh', 'iris']), makeFrames()]);
});
after(() => releaseAll(models));

test('100 frames: one face id, detector on few frames, landmarks within 0.01 of per-frame detection', async () => {
  const tracker = new FaceTracker({ detector: models['facemesh-detection-short'].session, mesh: models.facemesh.session });
  const reference = new FaceMesh({ detector: models['facemesh-detection-short'].session, mesh: models.facemesh.session });
  const ids = new Set<number>();
  let worst = 0;
  let meanSum = 0;
  let compared = 0;
  const start = performance.now();
  try {
    for (let i = 0; i < FRAMES; i++) {
      const result = await tracker.process(frames[i]!);
      assert.equal(result.frameIndex, i);
      assert.equal(result.faces.length, 1, `frame ${i}`);
      const face = result.faces[0]!;
      ids.add(face.id);
      if (i % 5 !== 0) continue;
      const [ref] = await reference.process(frames[i]!);
      assert.ok(ref, `reference face on frame ${i}`);
      let sum = 0;
      for (let k = 0; k < face.landmarks.length; k++) {
        const e = Math.max(Math.abs(face.landmarks[k]!.x - ref.landmarks[k]!.x), Math.abs(face.landmarks[k]!.y - ref.landmarks[k]!.y));
        sum += e;
        worst = Math.max(worst, e);
      }
      meanSum += sum / face.landmarks.length;
      compared++;
    }
    const ms = (performance.now() - start) / FRAMES;
    console.log(`tracking (${models.facemesh.runtime}): ${tracker.stats.detectorRuns} detector runs in ${tracker.stats.frames} frames; vs per-frame detection mean ${(meanSum / compared).toFixed(5)}, max ${worst.toFixed(5)}; ${ms.toFixed(1)} ms/frame incl. reference`);
    assert.deepEqual([...ids], [1]);
    assert.equal(tracker.stats.frames, FRAMES);
    assert.ok(tracker.stats.detectorRuns <= 3, `detector ran ${tracker.stats.detectorRuns} times`);
    assert.ok(worst < 0.01, `max landmark difference ${worst}`);
  } finally {
    tracker.dispose();
    tracker.dispose();
    reference.dispose();
  }
});

test('redetectInterval throttles the search for more faces; iris results ride along; reset starts a new id', async () => {
  const tracker = new FaceTracker(
    { detector: models['facemesh-detection-short'].session, mesh: models.facemesh.session, iris: models.iris.session },
    { redetectInterval: 4, maxFaces: 2 },
  );
  try {
    const ran: boolean[] = [];
    for (let i = 0; i < 9; i++) {
      const r = await tracker.process(frames[i]!);
      ran.push(r.detectorRan);
      const face = r.faces[0]!;
      assert.equal(face.id, 1);
      assert.ok(face.iris !== undefined && face.iris.left.iris.length === 5 && face.iris.right.contour.length === 71);
      assert.ok(Math.abs(face.iris.gaze.yaw) < 0.35);
    }
    assert.deepEqual(ran, [true, false, false, false, true, false, false, false, true]);
    tracker.reset();
    const after = await tracker.process(frames[9]!);
    assert.equal(after.detectorRan, true);
    assert.equal(after.faces[0]!.id, 2);
    // A blank frame: the tracked ROI finds no face (presence drops), so the track is lost ...
    const blank: RawFrame = { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64, format: 'RGB' };
    const lost = await tracker.process(blank);
    assert.equal(lost.faces.length, 0);
    assert.equal(lost.detectorRan, false);
    // ... and the next frame goes back to the detector.
    const searching = await tracker.process(blank);
    assert.equal(searching.detectorRan, true);
    assert.equal(searching.faces.length, 0);
    const found = await tracker.process(frames[10]!);
    assert.equal(found.faces[0]!.id, 3);
  } finally {
    tracker.dispose();
  }
  await assert.rejects(tracker.process(frames[0]!), (e: unknown) => e instanceof VisionError && e.code === 'VISION_DISPOSED');
});
