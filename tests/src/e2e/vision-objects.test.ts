// End-to-end: DetectObjects (CenterNet, 80 COCO classes, converted from TFJS at pull time) through
// a real tabagent-server on the shared photos with people and animals: classes and counts, boxes in
// pixels around the right regions (MediaPipe's EfficientDet boxes on couple_and_dog; regions read
// off cats_and_dogs by eye), options, bad input, and an OBJECTS Track stream keeping ids.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { HEALTH_SERVICES, HealthClient } from '@tabagent/common';
import { PixelFormat, TrackTask, type DetectObjectsResponse, type DetectedObject, type PixelBox } from '@tabagent/protos/v1/vision';
import { readExpected } from '../../../ml-service/dist/vision/testing/golden.js';
import { connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { encodedFrame, openTrack, preload, rgbOf, vision } from './vision-helpers.js';

const DETECTOR = 'centernet/mobilenetv3-coco';

function iou(a: PixelBox, b: { xmin: number; ymin: number; width: number; height: number }): number {
  const ix = Math.max(0, Math.min(a.xMin + a.width, b.xmin + b.width) - Math.max(a.xMin, b.xmin));
  const iy = Math.max(0, Math.min(a.yMin + a.height, b.ymin + b.height) - Math.max(a.yMin, b.ymin));
  const inter = ix * iy;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

function count(res: DetectObjectsResponse, label: string): number {
  return res.objects.filter((o) => o.label === label).length;
}

function assertInside(res: DetectObjectsResponse, width: number, height: number): void {
  assert.equal(res.imageWidth, width);
  assert.equal(res.imageHeight, height);
  for (const o of res.objects) {
    const b = o.box!;
    assert.ok(b.xMin >= 0 && b.yMin >= 0 && b.width > 0 && b.height > 0, `${o.label} box ${JSON.stringify(b)}`);
    assert.ok(b.xMin + b.width <= width + 1e-3 && b.yMin + b.height <= height + 1e-3, `${o.label} box ${JSON.stringify(b)} leaves ${width}×${height}`);
    assert.ok(o.score >= 0.3 && o.score <= 1, `${o.label} score ${o.score}`);
  }
  for (let i = 1; i < res.objects.length; i++) assert.ok(res.objects[i - 1]!.score >= res.objects[i]!.score, 'best first');
}

/** The best-scoring object whose box overlaps `region` by at least `minIou`. */
function bestOver(objects: readonly DetectedObject[], region: { xmin: number; ymin: number; width: number; height: number }, minIou: number): DetectedObject | undefined {
  return objects.find((o) => iou(o.box!, region) >= minIou);
}

describe('Vision DetectObjects end to end', () => {
  let server: ServerUnderTest;
  let c: PublicClients;

  before(async () => {
    server = await startServer();
    c = connect(server.address);
    await preload(c, [DETECTOR]);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('couple_and_dog.jpg: 2 persons and 1 dog on the boxes of MediaPipe\'s EfficientDet-Lite2 (IoU ≥ 0.7)', async () => {
    const expected = readExpected('couple_and_dog.jpg');
    const ref = expected.references.find((r) => r.task === 'object_detection' && r.producer.includes('Lite2'))!;
    const res = await vision(c, 'detectObjects', { frame: encodedFrame('couple_and_dog.jpg') });
    assertInside(res, expected.width, expected.height);
    assert.equal(count(res, 'person'), 2, JSON.stringify(res.objects));
    assert.equal(count(res, 'dog'), 1, JSON.stringify(res.objects));
    for (const inst of ref.instances!) {
      const px = inst.box_px!;
      const match = bestOver(res.objects.filter((o) => o.label === inst.label), px, 0.7);
      assert.ok(match, `no ${inst.label} box near ${JSON.stringify(px)}: ${JSON.stringify(res.objects)}`);
      assert.equal(match.classId, inst.label === 'person' ? 0 : 16);
    }
    assert.ok(res.timing!.inferenceMs > 0);
  });

  it('cats_and_dogs.jpg: cats and dogs, no person; every animal has a cat or dog box, the cats and the poodle labelled right', async () => {
    const res = await vision(c, 'detectObjects', { frame: encodedFrame('cats_and_dogs.jpg') });
    assertInside(res, 1200, 600);
    assert.equal(count(res, 'person'), 0);
    assert.ok(count(res, 'cat') >= 2, JSON.stringify(res.objects));
    assert.ok(count(res, 'dog') >= 1, JSON.stringify(res.objects));
    // Regions of the four animals, left to right (pixels, read off the photo).
    const animals = {
      leftCat: { xmin: 80, ymin: 400, width: 350, height: 200 },
      poodle: { xmin: 390, ymin: 215, width: 255, height: 385 },
      corgi: { xmin: 615, ymin: 155, width: 290, height: 445 },
      rightCat: { xmin: 875, ymin: 405, width: 210, height: 195 },
    };
    const pets = res.objects.filter((o) => o.label === 'cat' || o.label === 'dog');
    const label = (region: (typeof animals)[keyof typeof animals]): string | undefined => bestOver(pets, region, 0.6)?.label;
    assert.equal(label(animals.leftCat), 'cat');
    assert.equal(label(animals.poodle), 'dog');
    assert.equal(label(animals.rightCat), 'cat');
    // This CenterNet scores the corgi higher as a cat than as a dog; only its box is asserted.
    assert.ok(label(animals.corgi) !== undefined, JSON.stringify(res.objects));
  });

  it('family_group.jpg: several persons (≥ 4 of the 7), spread over the group, nothing else', async () => {
    const res = await vision(c, 'detectObjects', { frame: encodedFrame('family_group.jpg') });
    assertInside(res, 1024, 1024);
    const persons = res.objects.filter((o) => o.label === 'person');
    assert.ok(persons.length >= 4 && persons.length <= 9, `${persons.length} persons`);
    assert.deepEqual(new Set(res.objects.map((o) => o.label)), new Set(['person']));
    const left = Math.min(...persons.map((p) => p.box!.xMin));
    const right = Math.max(...persons.map((p) => p.box!.xMin + p.box!.width));
    assert.ok(left < 150 && right > 900, `persons span x ${left}..${right}`);
  });

  it('three_people.jpg: 3 persons, the seated man in front not suppressed by the standing one behind him', async () => {
    const res = await vision(c, 'detectObjects', { frame: encodedFrame('three_people.jpg') });
    assertInside(res, 1049, 861);
    assert.equal(count(res, 'person'), 3, JSON.stringify(res.objects));
  });

  it('options: category_allowlist, max_results and min_score; a raw RGB frame gives the JPEG\'s boxes', async () => {
    const frame = encodedFrame('couple_and_dog.jpg');
    const dogs = await vision(c, 'detectObjects', { frame, options: { categoryAllowlist: ['dog'] } });
    assert.deepEqual(dogs.objects.map((o) => o.label), ['dog']);
    const all = await vision(c, 'detectObjects', { frame, options: { minScore: 0.05, maxResults: 100 } });
    assert.ok(all.objects.length > 3, `${all.objects.length} objects at min_score 0.05`);
    const one = await vision(c, 'detectObjects', { frame, options: { maxResults: 1 } });
    assert.equal(one.objects.length, 1);
    assert.equal(one.objects[0]!.label, 'person');
    const rgb = await rgbOf('couple_and_dog.jpg');
    const raw = await vision(c, 'detectObjects', { frame: { data: rgb.data, width: rgb.width, height: rgb.height, format: PixelFormat.PIXEL_FORMAT_RGB } });
    const jpeg = await vision(c, 'detectObjects', { frame });
    assert.equal(raw.objects.length, jpeg.objects.length);
    raw.objects.forEach((o, i) => {
      assert.equal(o.label, jpeg.objects[i]!.label);
      assert.ok(Math.abs(o.box!.xMin - jpeg.objects[i]!.box!.xMin) < 0.5);
    });
  });

  it('bad input: INVALID_ARGUMENT naming the field; an unknown model is NOT_FOUND; the Vision capability stays SERVING', async () => {
    const frame = encodedFrame('couple_and_dog.jpg');
    const cases: [() => Promise<unknown>, string][] = [
      [() => vision(c, 'detectObjects', { frame, options: { minScore: Number.NaN } }), 'options.min_score'],
      [() => vision(c, 'detectObjects', { frame, options: { iouThreshold: 2 } }), 'options.iou_threshold'],
      [() => vision(c, 'detectObjects', { frame, options: { maxResults: 1000 } }), 'options.max_results'],
      [() => vision(c, 'detectObjects', { frame, options: { categoryAllowlist: ['dog', 'unicorn'] } }), 'options.category_allowlist'],
      [() => vision(c, 'detectObjects', {}), 'frame'],
      [() => vision(c, 'detectObjects', { frame: { encoded: Buffer.from('not an image') } }), 'frame.encoded'],
      [() => vision(c, 'detectObjects', { frame: { data: Buffer.alloc(10), width: 4, height: 4, format: PixelFormat.PIXEL_FORMAT_RGB } }), 'frame.data'],
      [() => vision(c, 'detectObjects', { frame, model: 'mediapipe/selfie-segmentation' }), 'model'],
    ];
    for (const [p, field] of cases) {
      const err = await expectGrpcError(p());
      assert.equal(err.code, status.INVALID_ARGUMENT, `${field}: ${err.details}`);
      assert.ok(err.details.startsWith(`${field}:`), `expected "${field}" in: ${err.details}`);
      assert.equal(err.metadata.get('x-tabagent-error-code')[0], 'TA_ERR_INVALID_ARGUMENT');
    }
    const missing = await expectGrpcError(vision(c, 'detectObjects', { frame, model: 'nobody/no-such-detector' }));
    assert.equal(missing.code, status.NOT_FOUND);
    const health = new HealthClient(server.address);
    try {
      assert.equal(await health.check(HEALTH_SERVICES.vision, 5_000), 'SERVING');
    } finally {
      health.close();
    }
    const again = await vision(c, 'detectObjects', { frame });
    assert.equal(count(again, 'dog'), 1);
  });

  it('Track OBJECTS: every frame detected, ids kept across frames', async () => {
    const track = openTrack(c);
    const frame = encodedFrame('couple_and_dog.jpg');
    const results = [];
    for (let i = 0; i < 3; i++) {
      track.send({ timestampUs: i * 33_000, task: TrackTask.TRACK_TASK_OBJECTS, frame, ...(i === 0 ? { options: { objects: { maxResults: 5 } } } : {}) });
      results.push(await track.next());
    }
    await track.finish();
    const ids = results.map((r) => {
      assert.equal(r.task, TrackTask.TRACK_TASK_OBJECTS);
      assert.equal(r.detectorRan, true);
      const objects = r.objects!.objects;
      assert.equal(count(r.objects!, 'person'), 2);
      return objects.map((o) => `${o.label}:${o.id}`).sort().join(',');
    });
    assert.ok(!ids[0]!.includes(':0'), `ids assigned: ${ids[0]}`);
    assert.equal(ids[1], ids[0]);
    assert.equal(ids[2], ids[0]);
  });
});
