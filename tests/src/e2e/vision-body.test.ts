// End-to-end: Hands (landmarks, handedness, gestures), Pose (landmarks, world landmarks, joint
// angles), Holistic and Segment (mask IoU, background effects and output encodings) through a real
// tabagent-server on real photos against MediaPipe's goldens, plus short hands (one of them a hand
// filling the frame), pose and holistic Track streams.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { ImageEncoding, PixelFormat, TrackTask, type TrackResponse } from '@tabagent/protos/v1/vision';
import sharp from 'sharp';
import { readExpected } from '../../../ml-service/dist/vision/testing/golden.js';
import { LARGE_HAND_SOURCES, insideRegion, makeLargeHandCase } from '../../../ml-service/dist/vision/testing/large-hands.js';
import { connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { encodedFrame, maskIou, openTrack, preload, rgbOf, vision, visionHolistic } from './vision-helpers.js';

const MODELS = [
  'mediapipe/palm-detection', 'mediapipe/hand-landmark-full', 'mediapipe/pose-detection', 'mediapipe/pose-landmark-full', 'mediapipe/selfie-segmentation',
  'mediapipe/face-mesh',
];

describe('Vision body end to end', () => {
  let server: ServerUnderTest;
  let c: PublicClients;

  before(async () => {
    server = await startServer();
    c = connect(server.address);
    await preload(c, MODELS);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('Hands on left_hands.jpg: two Left hands within 20 px of MediaPipe; the raised one is Open_Palm', async () => {
    const expected = readExpected('left_hands.jpg');
    const ref = expected.references.find((r) => r.task === 'hand_landmarks' && r.producer.includes('Tasks'))!;
    const res = await vision(c, 'hands', { frame: encodedFrame('left_hands.jpg') });
    assert.equal(res.hands.length, 2);
    for (const inst of ref.instances!) {
      const want = inst.landmarks!;
      const hand = res.hands.reduce((a, b) => (Math.abs(a.landmarks[0]!.x - want[0]!.x) < Math.abs(b.landmarks[0]!.x - want[0]!.x) ? a : b));
      let maxPx = 0;
      want.forEach((w, i) => {
        const g = hand.landmarks[i]!;
        maxPx = Math.max(maxPx, Math.abs(g.x - w.x) * expected.width, Math.abs(g.y - w.y) * expected.height);
      });
      assert.ok(maxPx <= 20, `max error ${maxPx} px`);
      assert.equal(hand.handedness?.name, 'Left');
      assert.ok(hand.handedness!.score > 0.8);
      assert.ok(hand.presence > 0.9);
      assert.equal(hand.worldLandmarks.length, 21);
      if (want[12]!.y < want[0]!.y) assert.equal(hand.gesture?.name, 'Open_Palm');
    }
    const mirrored = await vision(c, 'hands', { frame: encodedFrame('left_hands.jpg'), options: { selfie: true, maxHands: 1 } });
    assert.equal(mirrored.hands.length, 1);
    assert.equal(mirrored.hands[0]!.handedness?.name, 'Right');
  });

  it('Hands on hand_thumb_up.jpg: one hand showing Thumb_Up; cats_and_dogs.jpg: none', async () => {
    const res = await vision(c, 'hands', { frame: encodedFrame('hand_thumb_up.jpg') });
    assert.equal(res.hands.length, 1);
    assert.equal(res.hands[0]!.gesture?.name, 'Thumb_Up');
    assert.ok(res.hands[0]!.gesture!.score >= 0.5);
    const none = await vision(c, 'hands', { frame: encodedFrame('cats_and_dogs.jpg') });
    assert.deepEqual(none.hands, []);
  });

  it('Hands on a thumb-up filling a 1280×1280 frame on a dark background: one Left hand, Thumb_Up, landmarks on the hand', async () => {
    const source = LARGE_HAND_SOURCES.find((s) => s.name === 'thumb_up')!;
    const big = await makeLargeHandCase({ source, frame: { width: 1280, height: 1280 }, background: 'dark', rotationDeg: 0, fill: 0.9 });
    const res = await vision(c, 'hands', { frame: { encoded: Buffer.from(big.encoded) } });
    assert.equal(res.hands.length, 1);
    const hand = res.hands[0]!;
    assert.equal(hand.handedness?.name, 'Left');
    assert.equal(hand.gesture?.name, 'Thumb_Up');
    assert.equal(hand.landmarks.length, 21);
    const off = hand.landmarks.filter((p) => !insideRegion(p, big.region, 0.02));
    assert.ok(off.length <= 2, `${off.length} landmarks off the hand`);
    // The hand spans most of the frame: wrist to thumb tip over a third of its height.
    assert.ok(Math.abs(hand.landmarks[4]!.y - hand.landmarks[0]!.y) > 0.33);
  });

  it('Pose on pose.jpg: 33 landmarks within 0.03 of MediaPipe, world landmarks, joint angles, mask IoU ≥ 0.85', async () => {
    const expected = readExpected('pose.jpg');
    const ref = expected.references.find((r) => r.task === 'pose_landmarks' && r.producer.includes('Tasks'))!.instances![0]!.landmarks!;
    const res = await vision(c, 'pose', { frame: encodedFrame('pose.jpg'), options: { segmentation: true } });
    assert.equal(res.poses.length, 1);
    const pose = res.poses[0]!;
    assert.equal(pose.landmarks.length, 33);
    assert.equal(pose.worldLandmarks.length, 33);
    let max = 0;
    ref.forEach((w, i) => {
      const g = pose.landmarks[i]!;
      max = Math.max(max, Math.abs(g.x - w.x), Math.abs(g.y - w.y));
      assert.ok(g.visibility !== undefined && g.visibility >= 0 && g.visibility <= 1);
      assert.ok(g.presence !== undefined && g.presence >= 0 && g.presence <= 1);
    });
    assert.ok(max <= 0.03, `max landmark error ${max}`);
    const a = pose.jointAngles;
    assert.deepEqual(Object.keys(a).sort(), [
      'left_ankle', 'left_elbow', 'left_hip', 'left_knee', 'left_shoulder', 'right_ankle', 'right_elbow', 'right_hip', 'right_knee', 'right_shoulder',
    ]);
    // Warrior II: the front (subject's right) knee is bent, the back leg nearly straight.
    assert.ok(a['right_knee']! > 80 && a['right_knee']! < 125, `right knee ${a['right_knee']}`);
    assert.ok(a['left_knee']! > 145, `left knee ${a['left_knee']}`);
    const mask = pose.segmentation!;
    assert.deepEqual([mask.width, mask.height], [expected.width, expected.height]);
    assert.ok((await maskIou(mask, 'pose.expected_person_mask.png')) >= 0.85);
  });

  it('Holistic on squats_standing_frame000.png: 33 pose (within 31 px of BlazePose) + 468 face + both hands on the right sides', async () => {
    const expected = readExpected('squats_standing_frame000.png');
    const ref = expected.references.find((r) => r.task === 'pose_landmarks')!.instances![0]!.landmarks!;
    const res = await visionHolistic(c, { frame: encodedFrame('squats_standing_frame000.png') });
    assert.deepEqual([res.pose?.landmarks.length, res.face?.landmarks.length, res.leftHand?.landmarks.length, res.rightHand?.landmarks.length], [33, 468, 21, 21]);
    let maxPx = 0;
    ref.forEach((w, i) => {
      const g = res.pose!.landmarks[i]!;
      maxPx = Math.max(maxPx, Math.hypot((g.x - w.x) * expected.width, (g.y - w.y) * expected.height));
    });
    assert.ok(maxPx <= 31, `pose max error ${maxPx} px`);
    // The subject faces the camera: her left hand is on the image's right.
    assert.ok(res.leftHand!.landmarks[0]!.x > 0.5 && res.rightHand!.landmarks[0]!.x < 0.5);
    assert.deepEqual([res.leftHand!.handedness?.name, res.rightHand!.handedness?.name], ['Left', 'Right']);
    assert.ok(res.face!.presence > 0.9);
    assert.ok(res.timing!.inferenceMs > 0);
    const none = await visionHolistic(c, { frame: encodedFrame('cats_and_dogs.jpg') });
    assert.deepEqual([none.pose, none.face, none.leftHand, none.rightHand], [undefined, undefined, undefined, undefined]);
  });

  it('POSE and HOLISTIC Track streams detect once, then follow the person', async () => {
    for (const task of [TrackTask.TRACK_TASK_POSE, TrackTask.TRACK_TASK_HOLISTIC]) {
      const stream = openTrack(c);
      const results: TrackResponse[] = [];
      for (let i = 0; i < 6; i++) {
        stream.send({ timestampUs: 5000 + i * 33_333, task, frame: encodedFrame('pose.jpg') });
        results.push(await stream.next());
      }
      await stream.finish();
      assert.deepEqual(results.map((r) => r.detectorRan), [true, false, false, false, false, false], `task ${task}`);
      for (const r of results) {
        const pose = task === TrackTask.TRACK_TASK_POSE ? r.pose!.poses[0] : r.holistic!.pose;
        assert.equal(pose?.landmarks.length, 33);
        assert.equal(Object.keys(pose!.jointAngles).length, 10);
      }
      if (task === TrackTask.TRACK_TASK_HOLISTIC) assert.equal(results.at(-1)!.holistic!.face?.landmarks.length, 468);
    }
  });

  it('Segment on portrait.jpg: mask IoU ≥ 0.98; model-size mask; JPEG/PNG outputs', async () => {
    const res = await vision(c, 'segment', { frame: encodedFrame('portrait.jpg') });
    assert.equal(res.image, undefined);
    const iou = await maskIou(res.mask!, 'portrait.expected_person_mask.png');
    assert.ok(iou >= 0.98, `IoU ${iou}`);
    const small = await vision(c, 'segment', { frame: encodedFrame('portrait.jpg'), options: { modelSizeMask: true, effect: { blurRadius: 8 }, outputEncoding: ImageEncoding.IMAGE_ENCODING_JPEG } });
    assert.deepEqual([small.mask!.width, small.mask!.height, small.mask!.data.length], [256, 256, 256 * 256]);
    const meta = await sharp(small.image!.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 820, 1024]);
    assert.equal(small.image!.encoding, ImageEncoding.IMAGE_ENCODING_JPEG);
  });

  it('Segment effects on a raw BGR frame keep the layout: colour behind the person, a resized background image', async () => {
    const rgb = await rgbOf('portrait.jpg');
    const bgr = Buffer.alloc(rgb.data.length);
    for (let i = 0; i < rgb.data.length; i += 3) {
      bgr[i] = rgb.data[i + 2]!;
      bgr[i + 1] = rgb.data[i + 1]!;
      bgr[i + 2] = rgb.data[i]!;
    }
    const frame = { data: bgr, width: rgb.width, height: rgb.height, format: PixelFormat.PIXEL_FORMAT_BGR };
    const green = await vision(c, 'segment', { frame, options: { effect: { backgroundColor: 0x00ff00 } } });
    const img = green.image!;
    assert.deepEqual([img.width, img.height, img.format, img.encoding, img.data.length], [820, 1024, PixelFormat.PIXEL_FORMAT_BGR, ImageEncoding.IMAGE_ENCODING_RAW, bgr.length]);
    const at = (x: number, y: number): number[] => [...img.data.subarray((y * 820 + x) * 3, (y * 820 + x) * 3 + 3)];
    assert.deepEqual(at(10, 10), [0, 255, 0], 'background corner is green');
    const face = (300 * 820 + 410) * 3;
    assert.deepEqual(at(410, 300), [bgr[face], bgr[face + 1], bgr[face + 2]], 'the face is unchanged');
    const withImage = await vision(c, 'segment', { frame, options: { effect: { backgroundImage: encodedFrame('cats_and_dogs.jpg') }, outputEncoding: ImageEncoding.IMAGE_ENCODING_PNG } });
    const meta = await sharp(withImage.image!.data).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 820, 1024]);
  });

  it('rejects bad body options with INVALID_ARGUMENT naming the field', async () => {
    const frame = encodedFrame('left_hands.jpg');
    const cases: [() => Promise<unknown>, string][] = [
      [() => vision(c, 'hands', { frame, options: { maxHands: 11 } }), 'options.max_hands'],
      [() => vision(c, 'hands', { frame, options: { minScore: Number.NaN } }), 'options.min_score'],
      [() => vision(c, 'pose', { frame, options: { minScore: -0.1 } }), 'options.min_score'],
      [() => vision(c, 'segment', { frame, options: { effect: { blurRadius: 0 } } }), 'options.effect.blur_radius'],
      [() => vision(c, 'segment', { frame, options: { effect: { backgroundColor: 0x1000000 } } }), 'options.effect.background_color'],
      [() => vision(c, 'segment', { frame, options: { effect: { backgroundImage: { encoded: Buffer.from('nope') } } } }), 'options.effect.background_image.encoded'],
    ];
    for (const [p, field] of cases) {
      const err = await expectGrpcError(p());
      assert.equal(err.code, status.INVALID_ARGUMENT, `${field}: ${err.details}`);
      assert.ok(err.details.startsWith(`${field}:`), `expected "${field}" in: ${err.details}`);
    }
  });

  it('a HANDS Track stream finds a thumb-up filling a 1280×1280 frame on the first frame, then follows it', async () => {
    const source = LARGE_HAND_SOURCES.find((s) => s.name === 'thumb_up')!;
    const big = await makeLargeHandCase({ source, frame: { width: 1280, height: 1280 }, background: 'dark', rotationDeg: 0, fill: 0.9 });
    const stream = openTrack(c);
    const results: TrackResponse[] = [];
    for (let i = 0; i < 4; i++) {
      stream.send({ timestampUs: 1000 + i * 33_333, task: TrackTask.TRACK_TASK_HANDS, frame: { encoded: Buffer.from(big.encoded) }, ...(i === 0 ? { options: { hands: { maxHands: 1 } } } : {}) });
      results.push(await stream.next());
    }
    await stream.finish();
    assert.deepEqual(results.map((r) => r.detectorRan), [true, false, false, false]);
    results.forEach((r, i) => {
      assert.equal(r.hands!.hands.length, 1, `frame ${i}`);
      const hand = r.hands!.hands[0]!;
      assert.deepEqual([hand.handedness?.name, hand.gesture?.name], ['Left', 'Thumb_Up'], `frame ${i}`);
      const off = hand.landmarks.filter((p) => !insideRegion(p, big.region, 0.02));
      assert.ok(off.length <= 2, `frame ${i}: ${off.length} landmarks off the hand`);
    });
  });

  it('a HANDS Track stream follows both hands from their landmarks after the first frame', async () => {
    const stream = openTrack(c);
    const results: TrackResponse[] = [];
    for (let i = 0; i < 8; i++) {
      stream.send({ timestampUs: 1000 + i * 33_333, task: TrackTask.TRACK_TASK_HANDS, frame: encodedFrame('left_hands.jpg'), ...(i === 0 ? { options: { hands: { maxHands: 2 } } } : {}) });
      results.push(await stream.next());
    }
    await stream.finish();
    assert.equal(results[0]!.detectorRan, true);
    assert.equal(results.filter((r) => r.detectorRan).length, 1, 'palm detection only on the first frame');
    for (const r of results) {
      assert.equal(r.hands!.hands.length, 2);
      assert.deepEqual(r.hands!.hands.map((h) => h.handedness?.name), ['Left', 'Left']);
    }
  });
});
