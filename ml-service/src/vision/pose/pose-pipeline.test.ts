// PosePipeline on real photos: MediaPipe landmark/world goldens, person mask IoU, joint angles.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { loadBodyTestModel } from '../testing/body-models.js';
import { VisionError } from '../errors.js';
import { readExpected, readImageBytes } from '../testing/golden.js';
import { testImagePath } from '../testing/paths.js';
import { PosePipeline, type PoseResult } from './pose-pipeline.js';

let pipeline: PosePipeline;
let runtime = '';

before(async () => {
  const [detector, landmarks] = await Promise.all([loadBodyTestModel('blazepose-detector'), loadBodyTestModel('blazepose-full')]);
  runtime = `${detector.runtime}/${landmarks.runtime}`;
  pipeline = new PosePipeline({ detector: detector.session, landmarks: landmarks.session });
});
after(async () => {
  await pipeline.dispose();
});

async function detect(image: string, segmentation = false): Promise<{ poses: PoseResult[]; ms: number }> {
  const t0 = performance.now();
  const poses = await pipeline.detect({ encoded: readImageBytes(image) }, { segmentation });
  return { poses, ms: performance.now() - t0 };
}

describe('pose pipeline on real images', () => {
  it('pose.jpg: 33 landmarks within 0.03 of MediaPipe Tasks, world within 0.2 m, mask IoU ≥ 0.85', async () => {
    const expected = readExpected('pose.jpg');
    const { poses, ms } = await detect('pose.jpg', true);
    assert.equal(poses.length, 1);
    const pose = poses[0]!;
    const ref = expected.references.find((r) => r.task === 'pose_landmarks' && r.producer.includes('Tasks'))!.instances![0]!.landmarks!;
    assert.equal(pose.landmarks.length, 33);
    let max = 0;
    let sum = 0;
    ref.forEach((w, i) => {
      const g = pose.landmarks[i]!;
      const d = Math.max(Math.abs(g.x - w.x), Math.abs(g.y - w.y));
      max = Math.max(max, d);
      sum += d;
      assert.ok(g.visibility !== undefined && g.visibility >= 0 && g.visibility <= 1);
      assert.ok(g.presence !== undefined && g.presence >= 0 && g.presence <= 1);
    });
    const world = expected.references.find((r) => r.task === 'pose_world_landmarks')!.instances![0]!.landmarks!;
    let worldMax = 0;
    let worldSum = 0;
    world.forEach((w, i) => {
      const g = pose.worldLandmarks[i]!;
      const d = Math.max(Math.abs(g.x - w.x), Math.abs(g.y - w.y), Math.abs(g.z - (w.z ?? 0)));
      worldMax = Math.max(worldMax, d);
      worldSum += d;
    });
    const { data } = await sharp(testImagePath('pose.expected_person_mask.png')).greyscale().raw().toBuffer({ resolveWithObject: true });
    let inter = 0;
    let union = 0;
    const mask = pose.mask!;
    assert.deepEqual([mask.width, mask.height], [expected.width, expected.height]);
    for (let i = 0; i < data.length; i++) {
      const a = data[i]! >= 128;
      const b = mask.data[i]! >= 128;
      if (a && b) inter++;
      if (a || b) union++;
    }
    const iou = inter / union;
    console.log(
      `pose.jpg (${runtime}, ${ms.toFixed(0)} ms with mask): landmarks max ${max.toFixed(4)} mean ${(sum / 33).toFixed(4)}; ` +
        `world max ${worldMax.toFixed(3)} m mean ${(worldSum / 33).toFixed(3)} m; mask IoU ${iou.toFixed(4)}`,
    );
    assert.ok(max <= 0.03, `max landmark error ${max}`);
    assert.ok(worldMax <= 0.2, `max world error ${worldMax} m`);
    assert.ok(iou >= 0.85, `IoU ${iou}`);
    assert.ok(pose.presence > 0.9);
    // Warrior II: the front (subject's right) knee is bent, the back leg and the arms are nearly straight.
    const a = pose.jointAngles!;
    assert.ok(a.rightKnee.degrees > 80 && a.rightKnee.degrees < 125, `right knee ${a.rightKnee.degrees}`);
    assert.ok(a.leftKnee.degrees > 145, `left knee ${a.leftKnee.degrees}`);
    assert.ok(a.leftElbow.degrees > 140 && a.rightElbow.degrees > 130, 'arms stretched');
    assert.ok(a.leftShoulder.degrees > 75 && a.leftShoulder.degrees < 115, `left shoulder ${a.leftShoulder.degrees}`);
  });

  it('squats_standing_frame000.png: landmarks within 31 px and world within 0.24 m of the BlazePose reference', async () => {
    const expected = readExpected('squats_standing_frame000.png');
    const { poses, ms } = await detect('squats_standing_frame000.png');
    assert.equal(poses.length, 1);
    const pose = poses[0]!;
    const ref = expected.references.find((r) => r.task === 'pose_landmarks')!.instances![0]!.landmarks!;
    const world = expected.references.find((r) => r.task === 'pose_world_landmarks')!.instances![0]!.landmarks!;
    let maxPx = 0;
    ref.forEach((w, i) => {
      const g = pose.landmarks[i]!;
      maxPx = Math.max(maxPx, Math.abs(g.x - w.x) * expected.width, Math.abs(g.y - w.y) * expected.height);
    });
    let worldMax = 0;
    world.forEach((w, i) => {
      const g = pose.worldLandmarks[i]!;
      worldMax = Math.max(worldMax, Math.abs(g.x - w.x), Math.abs(g.y - w.y), Math.abs(g.z - (w.z ?? 0)));
    });
    console.log(`squats frame (${ms.toFixed(0)} ms): max ${maxPx.toFixed(1)} px, world max ${worldMax.toFixed(3)} m`);
    assert.ok(maxPx <= 31, `max ${maxPx} px`);
    assert.ok(worldMax <= 0.24, `world max ${worldMax} m`);
    assert.ok(pose.jointAngles!.leftKnee.degrees > 150 && pose.jointAngles!.rightKnee.degrees > 150, 'standing: straight knees');
    assert.equal(pose.mask, undefined);
  });

  it('cats_and_dogs.jpg: no pose', async () => {
    const { poses } = await detect('cats_and_dogs.jpg');
    assert.equal(poses.length, 0);
  });

  it('rejects bad options with the field named; dispose is idempotent', async () => {
    const frame = { encoded: readImageBytes('pose.jpg') };
    const field = (f: string) => (e: unknown) => e instanceof VisionError && e.code === 'VISION_INVALID_ARGUMENT' && e.field === f;
    await assert.rejects(pipeline.detect(frame, { maxPoses: 9 }), field('maxPoses'));
    await assert.rejects(pipeline.detect(frame, { minPresenceConfidence: -0.1 }), field('minPresenceConfidence'));
    await assert.rejects(pipeline.detect(frame, { segmentation: 'on' as unknown as boolean }), field('segmentation'));
    const [d, l] = await Promise.all([loadBodyTestModel('blazepose-detector'), loadBodyTestModel('blazepose-lite')]);
    const p = new PosePipeline({ detector: d.session, landmarks: l.session });
    const lite = await p.detect(frame, { jointAngles: false });
    assert.equal(lite.length, 1);
    assert.equal(lite[0]!.jointAngles, undefined);
    await p.dispose();
    await p.dispose();
    await assert.rejects(p.detect(frame), (e: unknown) => e instanceof VisionError && e.code === 'VISION_DISPOSED');
  });
});
