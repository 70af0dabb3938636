// End-to-end: whole-scene person segmentation with Robust Video Matting (rvm/mobilenetv3-256, a
// TFJS graph with a tf.cond and dilated convolutions, converted at pull time with its state and
// resize ratio fixed), chosen by model id on Segment and on a SEGMENT Track stream: mask IoU against
// the shared reference masks (MediaPipe's for portrait and pose; a BodyPix-era fixture for
// three_people), side by side with the selfie model; both persons of couple_and_dog inside the mask
// (on MediaPipe's EfficientDet person boxes); the same effect outputs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TrackTask } from '@tabagent/protos/v1/vision';
import { readExpected } from '../../../ml-service/dist/vision/testing/golden.js';
import { connect, type PublicClients } from '../support/clients.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { encodedFrame, maskIou, openTrack, preload, vision } from './vision-helpers.js';

const SCENE = 'rvm/mobilenetv3-256';
const SELFIE = 'mediapipe/selfie-segmentation';

/** Share of the mask's pixels (≥ 128) inside the pixel box. */
function coverage(mask: { data: Uint8Array; width: number }, b: { xmin: number; ymin: number; width: number; height: number }): number {
  let on = 0;
  let all = 0;
  for (let y = Math.round(b.ymin); y < Math.round(b.ymin + b.height); y++) {
    for (let x = Math.round(b.xmin); x < Math.round(b.xmin + b.width); x++) {
      all++;
      if (mask.data[y * mask.width + x]! >= 128) on++;
    }
  }
  return on / all;
}

describe('Vision Segment for whole scenes end to end', () => {
  let server: ServerUnderTest;
  let c: PublicClients;

  before(async () => {
    server = await startServer();
    c = connect(server.address);
    await preload(c, [SCENE, SELFIE]);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('mask IoU against the reference masks, beside the selfie model\'s', async (t) => {
    const cases: [string, string, number][] = [
      ['three_people.jpg', 'three_people.expected_person_mask.png', 0.88],
      ['portrait.jpg', 'portrait.expected_person_mask.png', 0.95],
      ['pose.jpg', 'pose.expected_person_mask.png', 0.88],
    ];
    for (const [image, golden, min] of cases) {
      const scene = await vision(c, 'segment', { frame: encodedFrame(image), model: SCENE });
      const selfie = await vision(c, 'segment', { frame: encodedFrame(image), model: SELFIE });
      const a = await maskIou(scene.mask!, golden);
      const b = await maskIou(selfie.mask!, golden);
      t.diagnostic(`${image}: IoU ${SCENE} ${a.toFixed(3)}, ${SELFIE} ${b.toFixed(3)}`);
      assert.ok(a >= min, `${image}: IoU ${a}`);
    }
  });

  it('couple_and_dog.jpg: both persons inside the mask (on MediaPipe\'s EfficientDet person boxes), beside the selfie model', async (t) => {
    const expected = readExpected('couple_and_dog.jpg');
    const boxes = expected.references.find((r) => r.task === 'object_detection' && r.producer.includes('Lite2'))!
      .instances!.filter((i) => i.label === 'person').map((i) => i.box_px!);
    const res = await vision(c, 'segment', { frame: encodedFrame('couple_and_dog.jpg'), model: SCENE });
    const selfie = await vision(c, 'segment', { frame: encodedFrame('couple_and_dog.jpg'), model: SELFIE });
    assert.deepEqual([res.mask!.width, res.mask!.height], [expected.width, expected.height]);
    for (const b of boxes) {
      const a = coverage(res.mask!, b);
      t.diagnostic(`person box ${JSON.stringify(b)}: mask covers ${a.toFixed(3)} (${SCENE}), ${coverage(selfie.mask!, b).toFixed(3)} (${SELFIE})`);
      assert.ok(a >= 0.35, `person box ${JSON.stringify(b)}: ${a}`);
    }
    for (const image of ['family_group.jpg', 'cats_and_dogs.jpg']) {
      const x = await vision(c, 'segment', { frame: encodedFrame(image), model: SCENE });
      const y = await vision(c, 'segment', { frame: encodedFrame(image), model: SELFIE });
      const share = (m: Uint8Array): number => m.reduce((n, v) => n + (v >= 128 ? 1 : 0), 0) / m.length;
      t.diagnostic(`${image}: mask share ${share(x.mask!.data).toFixed(3)} (${SCENE}), ${share(y.mask!.data).toFixed(3)} (${SELFIE})`);
    }
  });

  it('the same outputs as the selfie model: model-size mask, background colour; a SEGMENT Track stream by model id', async () => {
    const small = await vision(c, 'segment', { frame: encodedFrame('portrait.jpg'), model: SCENE, options: { modelSizeMask: true, effect: { backgroundColor: 0x0000ff } } });
    assert.deepEqual([small.mask!.width, small.mask!.height], [256, 256]);
    assert.deepEqual([small.image!.width, small.image!.height], [820, 1024]);
    const track = openTrack(c);
    track.send({ timestampUs: 0, task: TrackTask.TRACK_TASK_SEGMENT, model: SCENE, frame: encodedFrame('three_people.jpg') });
    const r = await track.next();
    await track.finish();
    assert.equal(r.task, TrackTask.TRACK_TASK_SEGMENT);
    const iou = await maskIou(r.segment!.mask!, 'three_people.expected_person_mask.png');
    assert.ok(iou >= 0.88, `Track IoU ${iou}`);
  });
});
