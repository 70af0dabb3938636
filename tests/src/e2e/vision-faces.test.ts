// End-to-end: DetectFaces, FaceMesh and Iris through a real tabagent-server on real photos, against
// MediaPipe's goldens; raw frames in other pixel layouts; options and frames that are rejected with
// INVALID_ARGUMENT naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { PixelFormat } from '@tabagent/protos/v1/vision';
import { findReference, readExpected } from '../../../ml-service/dist/vision/testing/golden.js';
import { connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { encodedFrame, preload, rgbOf, vision } from './vision-helpers.js';

const MODELS = ['mediapipe/face-detection-short', 'mediapipe/face-mesh', 'mediapipe/face-mesh-attention', 'mediapipe/iris'];

describe('Vision faces end to end', () => {
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

  it('DetectFaces on portrait.jpg: one face, box within 0.05 and six named keypoints within 0.01 of MediaPipe', async () => {
    const ref = findReference(readExpected('portrait.jpg'), 'face_detection', 'Tasks FaceDetector, short-range').instances![0]!;
    const res = await vision(c, 'detectFaces', { frame: encodedFrame('portrait.jpg') });
    assert.equal(res.faces.length, 1);
    const face = res.faces[0]!;
    assert.ok(face.score > 0.8, `score ${face.score}`);
    assert.equal(face.id, 0);
    const box = face.box!;
    const want = ref.box!;
    for (const [got, exp, name] of [[box.xMin, want.xmin, 'x_min'], [box.yMin, want.ymin, 'y_min'], [box.width, want.width, 'width'], [box.height, want.height, 'height']] as const) {
      assert.ok(Math.abs(got - exp) < 0.05, `box.${name}: ${got} vs ${exp}`);
    }
    assert.deepEqual(face.keypoints.map((k) => k.name), ['right_eye', 'left_eye', 'nose_tip', 'mouth_center', 'right_ear_tragion', 'left_ear_tragion']);
    face.keypoints.forEach((k, i) => {
      const r = ref.keypoints![i]!;
      assert.ok(Math.abs(k.x - r.x) < 0.01 && Math.abs(k.y - r.y) < 0.01, `${k.name}: (${k.x}, ${k.y}) vs (${r.x}, ${r.y})`);
    });
    const t = res.timing!;
    assert.ok(t.decodeMs > 0 && t.inferenceMs > 0 && t.totalMs >= t.inferenceMs, JSON.stringify(t));
  });

  for (const [refine, count] of [[false, 468], [true, 478]] as const) {
    it(`FaceMesh on portrait.jpg: ${count} landmarks within 0.03 (mean 0.01) of MediaPipe's golden`, async () => {
      const golden = findReference(readExpected('portrait.jpg'), 'face_landmarks', 'Tasks FaceLandmarker').instances![0]!.landmarks!;
      const res = await vision(c, 'faceMesh', { frame: encodedFrame('portrait.jpg'), options: { refineLandmarks: refine } });
      assert.equal(res.faces.length, 1);
      const face = res.faces[0]!;
      assert.equal(face.landmarks.length, count);
      assert.ok(face.presence > 0.9, `presence ${face.presence}`);
      let max = 0;
      let sum = 0;
      for (let i = 0; i < count; i++) {
        const e = Math.max(Math.abs(face.landmarks[i]!.x - golden[i]!.x), Math.abs(face.landmarks[i]!.y - golden[i]!.y));
        max = Math.max(max, e);
        sum += e;
      }
      assert.ok(max < 0.03, `max error ${max}`);
      assert.ok(sum / count < 0.01, `mean error ${sum / count}`);
      assert.equal(face.detection?.keypoints.length, 6);
      assert.ok((face.detection?.score ?? 0) > 0.8);
      assert.ok(Math.abs(face.roi!.rotation) < 0.1, `roi rotation ${face.roi!.rotation}`);
    });
  }

  it('Iris on portrait.jpg: iris points within 5 px of the reference, subject-named eyes, gaze near straight ahead', async () => {
    const expected = readExpected('portrait.jpg');
    const pts = findReference(expected, 'face_landmarks_subset', 'Solutions FaceMesh').instances![0]!.landmarks_by_index!;
    const res = await vision(c, 'iris', { frame: encodedFrame('portrait.jpg') });
    assert.equal(res.faces.length, 1);
    const face = res.faces[0]!;
    // Mesh iris 468-472 is the subject's right eye (image left), 473-477 the subject's left eye.
    for (const [eye, base] of [[face.rightEye!, 468], [face.leftEye!, 473]] as const) {
      assert.equal(eye.iris.length, 5);
      assert.equal(eye.contour.length, 71);
      for (let k = 0; k < 5; k++) {
        const r = pts[String(base + k)]!;
        const px = Math.hypot((eye.iris[k]!.x - r.x) * expected.width, (eye.iris[k]!.y - r.y) * expected.height);
        assert.ok(px <= 5, `iris ${base + k} is ${px.toFixed(1)} px off`);
      }
      assert.ok(Math.abs(eye.irisDiameter * expected.width - 16) < 3, `diameter ${eye.irisDiameter * expected.width} px`);
    }
    assert.ok(Math.abs(face.gaze!.yawDegrees) < 15 && Math.abs(face.gaze!.pitchDegrees) < 15, JSON.stringify(face.gaze));
    assert.equal(face.face?.landmarks.length, 468);
  });

  it('face counts: family_group 7 and three_people 3 with the attention mesh at min_score 0.3; cats_and_dogs 0', async () => {
    // The half-hidden seventh face of family_group scores ~0.38 in BlazeFace, so detection is lenient
    // (0.3) and the attention mesh's face presence confirms faces (it rejects the cat face).
    for (const image of ['family_group.jpg', 'three_people.jpg', 'cats_and_dogs.jpg']) {
      const res = await vision(c, 'faceMesh', { frame: encodedFrame(image), options: { maxFaces: 10, minScore: 0.3, refineLandmarks: true } });
      assert.equal(res.faces.length, readExpected(image).counts.faces, image);
      for (const f of res.faces) assert.ok(f.presence >= 0.5 && f.landmarks.length === 478);
    }
    const none = await vision(c, 'detectFaces', { frame: encodedFrame('cats_and_dogs.jpg') });
    assert.deepEqual(none.faces, []);
    assert.ok(none.timing!.totalMs > 0);
  });

  it('raw BGRA frames with padded rows give the same faces as the JPEG', async () => {
    const rgb = await rgbOf('portrait.jpg');
    const stride = rgb.width * 4 + 64;
    const bgra = Buffer.alloc(stride * rgb.height);
    for (let y = 0; y < rgb.height; y++) {
      for (let x = 0; x < rgb.width; x++) {
        const s = (y * rgb.width + x) * 3;
        const d = y * stride + x * 4;
        bgra[d] = rgb.data[s + 2]!;
        bgra[d + 1] = rgb.data[s + 1]!;
        bgra[d + 2] = rgb.data[s]!;
        bgra[d + 3] = 255;
      }
    }
    const raw = await vision(c, 'detectFaces', { frame: { data: bgra, width: rgb.width, height: rgb.height, stride, format: PixelFormat.PIXEL_FORMAT_BGRA } });
    const jpeg = await vision(c, 'detectFaces', { frame: encodedFrame('portrait.jpg') });
    assert.equal(raw.faces.length, 1);
    assert.ok(Math.abs(raw.faces[0]!.score - jpeg.faces[0]!.score) < 1e-4);
    assert.ok(Math.abs(raw.faces[0]!.box!.xMin - jpeg.faces[0]!.box!.xMin) < 1e-4);
  });

  it('rejects bad options and frames with INVALID_ARGUMENT naming the field', async () => {
    const frame = encodedFrame('portrait.jpg');
    const cases: [() => Promise<unknown>, string][] = [
      [() => vision(c, 'detectFaces', { frame, options: { minScore: Number.NaN } }), 'options.min_score'],
      [() => vision(c, 'detectFaces', { frame, options: { minScore: 1.5 } }), 'options.min_score'],
      [() => vision(c, 'faceMesh', { frame, options: { maxFaces: 1000 } }), 'options.max_faces'],
      [() => vision(c, 'faceMesh', { frame, model: 'mediapipe/face-mesh', options: { refineLandmarks: true } }), 'options.refine_landmarks'],
      [() => vision(c, 'detectFaces', {}), 'frame'],
      [() => vision(c, 'detectFaces', { frame: { data: Buffer.alloc(10), width: 4, height: 4, format: PixelFormat.PIXEL_FORMAT_RGB } }), 'frame.data'],
      [() => vision(c, 'detectFaces', { frame: { data: Buffer.alloc(48), width: 4, height: 4 } }), 'frame.format'],
      [() => vision(c, 'iris', { frame: { encoded: Buffer.from('not an image') } }), 'frame.encoded'],
    ];
    for (const [p, field] of cases) {
      const err = await expectGrpcError(p());
      assert.equal(err.code, status.INVALID_ARGUMENT, `${field}: ${err.details}`);
      assert.ok(err.details.startsWith(`${field}:`), `expected "${field}" in: ${err.details}`);
      assert.equal(err.metadata.get('x-tabagent-error-code')[0], 'TA_ERR_INVALID_ARGUMENT');
    }
  });
});
