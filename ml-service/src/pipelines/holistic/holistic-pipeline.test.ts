// HolisticPipeline on real images (landmark counts, face against FaceMesh, hands against the palm
// pipeline), on the first frames of pose_squats.mp4 in tracking mode, and its options and lifecycle.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { FaceMesh } from '../face-mesh/face-mesh.js';
import { HandPipeline } from '../../vision/hands/hand-pipeline.js';
import { loadBodyTestModel, type BodyModelName } from '../../vision/testing/body-models.js';
import { decodeVideo, readVideoExpected } from '../../vision/testing/test-video.js';
import { VisionError } from '../../vision/errors.js';
import { frameToRgb } from '../../vision/image/frame.js';
import { readImageBytes } from '../../vision/testing/golden.js';
import { loadFaceTestModel, type FaceModelName, type TestModel } from '../../vision/testing/models.js';
import type { Landmark, RgbImage } from '../../vision/types.js';
import { HolisticPipeline } from './holistic-pipeline.js';
import type { HolisticOptions } from './holistic-types.js';

type Name = Extract<BodyModelName, 'blazepose-detector' | 'blazepose-full' | 'handlandmark-full' | 'handdetect'> | Exclude<FaceModelName, 'iris'>;
const NAMES: readonly Name[] = ['blazepose-detector', 'blazepose-full', 'facemesh', 'facemesh-attention', 'facemesh-detection-short', 'handlandmark-full', 'handdetect'];
let models: Record<Name, TestModel>;

before(async () => {
  const load = (n: Name): Promise<TestModel> => (n.startsWith('facemesh') ? loadFaceTestModel(n as FaceModelName) : loadBodyTestModel(n as BodyModelName));
  const loaded = await Promise.all(NAMES.map(async (n) => [n, await load(n)] as const));
  models = Object.fromEntries(loaded) as Record<Name, TestModel>;
});
after(async () => {
  await Promise.all(Object.values(models).map((m) => m.session.release()));
});

function holistic(options: HolisticOptions = {}, mesh: 'facemesh' | 'facemesh-attention' = 'facemesh'): HolisticPipeline {
  return new HolisticPipeline(
    { poseDetector: models['blazepose-detector'].session, poseLandmarks: models['blazepose-full'].session, faceMesh: models[mesh].session, handLandmarks: models['handlandmark-full'].session },
    options,
  );
}

function maxDiff(a: readonly Landmark[], b: readonly Landmark[]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((p, i) => Math.max(Math.abs(p.x - b[i]!.x), Math.abs(p.y - b[i]!.y))));
}

/** FaceMesh (BlazeFace + mesh) on `image`, or on a square crop of it mapped back when the face is small. */
async function referenceFace(image: RgbImage, crop?: { left: number; top: number; size: number }): Promise<Landmark[]> {
  const mesh = new FaceMesh({ detector: models['facemesh-detection-short'].session, mesh: models.facemesh.session });
  try {
    if (crop === undefined) return (await mesh.runRgb(image))[0]!.landmarks;
    const { left, top, size } = crop;
    const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).extract({ left, top, width: size, height: size }).raw().toBuffer();
    const [face] = await mesh.runRgb({ data: new Uint8Array(data), width: size, height: size });
    assert.ok(face, 'FaceMesh found no face in the crop');
    return face.landmarks.map((p) => ({ x: (p.x * size + left) / image.width, y: (p.y * size + top) / image.height, z: p.z }));
  } finally {
    mesh.dispose();
  }
}

describe('holistic pipeline on images', () => {
  it('portrait.jpg: 33 pose + 468 face (+ 21 per hand found) landmarks; face within 0.02 of FaceMesh', async () => {
    const h = holistic();
    try {
      const image = await frameToRgb({ encoded: readImageBytes('portrait.jpg') });
      const r = await h.runRgb(image, 123_000);
      const hands = [r.leftHand, r.rightHand].filter((x) => x !== undefined);
      const diff = maxDiff(r.face!.landmarks, await referenceFace(image));
      console.log(`portrait.jpg: ${r.landmarkCount} landmarks (${hands.length} hands), face vs FaceMesh max ${diff.toFixed(4)}; timings ${JSON.stringify(h.timings)}`);
      assert.deepEqual([r.pose?.landmarks.length, r.face?.landmarks.length, r.timestampUs, r.detectorRan], [33, 468, 123_000, true]);
      assert.equal(r.landmarkCount, 33 + 468 + 21 * hands.length);
      assert.ok(diff <= 0.02, `face differs from FaceMesh by ${diff}`);
      assert.ok(r.face!.presence > 0.9);
    } finally {
      h.dispose();
    }
  });

  it('squats_standing_frame000.png: all 543 landmarks; face within 0.02 of FaceMesh, hands within 0.02 of the palm pipeline', async () => {
    const h = holistic();
    const palms = new HandPipeline({ palm: models.handdetect.session, landmarks: models['handlandmark-full'].session }, { ownsSessions: false });
    try {
      const image = await frameToRgb({ encoded: readImageBytes('squats_standing_frame000.png') });
      const r = await h.runRgb(image);
      // BlazeFace short range misses this small face in the full frame: FaceMesh looks at the top middle instead.
      const faceDiff = maxDiff(r.face!.landmarks, await referenceFace(image, { left: 216, top: 96, size: 288 }));
      const detected = await palms.runRgb(image, { maxHands: 2, minDetectionConfidence: 0.5, minPresenceConfidence: 0.5, selfieMirrored: false, gestures: false });
      assert.equal(detected.length, 2);
      const handDiffs = [r.leftHand!, r.rightHand!].map((hand) => {
        const match = detected.reduce((a, b) => (Math.abs(a.landmarks[0]!.x - hand.landmarks[0]!.x) < Math.abs(b.landmarks[0]!.x - hand.landmarks[0]!.x) ? a : b));
        return maxDiff(hand.landmarks, match.landmarks);
      });
      console.log(`squats frame: ${r.landmarkCount} landmarks; face vs FaceMesh max ${faceDiff.toFixed(4)}; hands vs palm pipeline max ${handDiffs.map((d) => d.toFixed(4)).join(', ')}; timings ${JSON.stringify(h.timings)}`);
      assert.equal(r.landmarkCount, 543);
      assert.deepEqual([r.pose!.landmarks.length, r.face!.landmarks.length, r.leftHand!.landmarks.length, r.rightHand!.landmarks.length], [33, 468, 21, 21]);
      assert.ok(faceDiff <= 0.02, `face differs from FaceMesh by ${faceDiff}`);
      for (const d of handDiffs) assert.ok(d <= 0.02, `hand differs from the palm pipeline by ${d}`);
      // Frontal subject: the subject's left hand is on the image's right.
      assert.ok(r.leftHand!.landmarks[0]!.x > 0.5 && r.rightHand!.landmarks[0]!.x < 0.5);
      assert.deepEqual([r.leftHand!.handedness.label, r.rightHand!.handedness.label], ['Left', 'Right']);
      assert.ok(r.rightHand!.handedness.score > 0.5 && r.leftHand!.handedness.score > 0.5);
    } finally {
      h.dispose();
      await palms.dispose();
    }
  });

  it('refined face: 553 landmarks with the attention mesh; refineFace without it is rejected', async () => {
    const h = holistic({}, 'facemesh-attention');
    try {
      assert.equal(h.refineFace, true);
      const r = await h.process({ encoded: readImageBytes('squats_standing_frame000.png') });
      assert.equal(r.face!.landmarks.length, 478);
      assert.equal(r.landmarkCount, 553);
    } finally {
      h.dispose();
    }
    assert.throws(() => holistic({ refineFace: true }), (e: unknown) => e instanceof VisionError && e.code === 'VISION_INVALID_ARGUMENT' && e.field === 'refineFace');
  });

  it('cats_and_dogs.jpg: no person, so no face or hands either', async () => {
    const h = holistic();
    try {
      const r = await h.process({ encoded: readImageBytes('cats_and_dogs.jpg') });
      assert.deepEqual([r.landmarkCount, r.pose, r.face, r.leftHand, r.rightHand], [0, undefined, undefined, undefined, undefined]);
    } finally {
      h.dispose();
    }
  });
});

describe('holistic pipeline in tracking mode', () => {
  it('first 15 frames of pose_squats.mp4: one detection, stable pose id, face every frame, ROIs reused', async () => {
    const expected = readVideoExpected('pose_squats.mp4');
    const h = holistic({ tracking: true });
    let frames = 0;
    let totalMs = 0;
    try {
      for await (const frame of decodeVideo('pose_squats.mp4', expected)) {
        if (frame.index === 15) break;
        frames++;
        const r = await h.process(frame, frame.timestampUs);
        totalMs += h.timings.totalMs;
        assert.deepEqual([r.frameIndex, r.timestampUs, r.pose?.id, r.face?.landmarks.length], [frame.index, frame.timestampUs, 1, 468], `frame ${frame.index}`);
        assert.equal(r.landmarkCount, 33 + 468 + 21 * [r.leftHand, r.rightHand].filter((x) => x !== undefined).length);
      }
    } finally {
      h.dispose();
    }
    const s = h.stats;
    console.log(`holistic tracking: ${frames} frames, ${JSON.stringify(s)}; ${(totalMs / frames).toFixed(1)} ms/frame`);
    assert.deepEqual([s.frames, s.detectorRuns], [15, 1]);
    // Image mode costs two passes per part; tracked ROIs need one while they hold.
    assert.ok(s.faceRuns < 2 * frames, `face model ran ${s.faceRuns} times`);
    assert.ok(s.handRuns < 4 * frames, `hand model ran ${s.handRuns} times`);
  });

  it('rejects bad options naming the field; calls after dispose fail with VISION_DISPOSED', async () => {
    const field = (f: string) => (e: unknown) => e instanceof VisionError && e.code === 'VISION_INVALID_ARGUMENT' && e.field === f;
    assert.throws(() => holistic({ tracking: 'yes' as unknown as boolean }), field('tracking'));
    assert.throws(() => holistic({ minHandPresence: 1.5 }), field('minHandPresence'));
    assert.throws(() => holistic({ redetectInterval: -2 }), field('redetectInterval'));
    const h = holistic();
    h.dispose();
    h.dispose();
    await assert.rejects(h.process({ encoded: readImageBytes('portrait.jpg') }), (e: unknown) => e instanceof VisionError && e.code === 'VISION_DISPOSED');
  });
});
