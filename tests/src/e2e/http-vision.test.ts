// End-to-end: vision over HTTP (POST /v1/vision/{task}) on a real tabagent-server. For each of the
// seven tasks, on the shared test photos, the HTTP answer equals the gRPC Vision method's answer
// for the same options, number by number, sent as a raw body, as multipart and as JSON; segment's
// PNG answers (mask and effect image) decode to the input's size and agree with gRPC; bad input
// gets the right status naming the parameter; a burst past the queue size gets 429 + Retry-After.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  DetectFacesResponse, FaceMeshResponse, HandsResponse, HolisticResponse, ImageEncoding, IrisResponse, PoseModel, PoseResponse, SegmentResponse,
} from '@tabagent/protos/v1/vision';
import sharp from 'sharp';
import { connect, type PublicClients } from '../support/clients.js';
import { testImage } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import { assertRefusal, assertSameAnswer, postImage, postRefusedBody, type BodyKind } from './http-vision-helpers.js';
import { encodedFrame, preload, vision, visionHolistic } from './vision-helpers.js';

const MODELS = [
  'mediapipe/face-detection-short', 'mediapipe/face-mesh', 'mediapipe/face-mesh-attention', 'mediapipe/iris', 'mediapipe/palm-detection',
  'mediapipe/hand-landmark-full', 'mediapipe/pose-detection', 'mediapipe/pose-landmark-full', 'mediapipe/selfie-segmentation',
];
const QUEUE = 2;
const KINDS: readonly BodyKind[] = ['raw', 'multipart', 'json'];

/** Decodes a PNG to its pixels; `channels` is the file's own (1 for greyscale). */
async function pixels(png: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const meta = await sharp(png).metadata();
  assert.equal(meta.format, 'png');
  const image = meta.channels === 1 ? sharp(png).extractChannel(0) : sharp(png);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: meta.channels ?? 0 };
}

/** Fraction of bytes that differ by more than 1. */
function differing(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 1) n++;
  return n / a.length;
}

describe('vision over HTTP', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  let base: string;

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--queue-size', String(QUEUE), '--keep-alive', '-1'] });
    c = connect(server.address);
    base = `http://127.0.0.1:${server.httpPort}`;
    await preload(c, MODELS);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  /** POSTs `image` every way and asserts each answer equals `want` (gRPC's, through toJSON); returns one answer. */
  async function sameEveryWay(task: string, image: string, options: Record<string, string | number | boolean>, want: unknown): Promise<Record<string, unknown>> {
    let first: Record<string, unknown> | undefined;
    for (const kind of KINDS) {
      const a = await postImage(base, task, image, kind, options);
      assert.equal(a.status, 200, `${task} ${kind}: ${a.bytes.toString('utf8').slice(0, 300)}`);
      const n = assertSameAnswer(a.json, want);
      assert.ok(n > 10, `${task} ${kind}: only ${n} numbers compared`);
      first ??= a.json;
    }
    return first!;
  }

  it('faces on portrait.jpg and family_group.jpg: the boxes and keypoints of gRPC DetectFaces', async () => {
    const one = await vision(c, 'detectFaces', { frame: encodedFrame('portrait.jpg') });
    assert.equal(one.faces.length, 1);
    const got = await sameEveryWay('faces', 'portrait.jpg', {}, DetectFacesResponse.toJSON(one));
    assert.equal((got['faces'] as Array<{ keypoints: unknown[] }>)[0]!.keypoints.length, 6);
    const many = await vision(c, 'detectFaces', { frame: encodedFrame('family_group.jpg'), options: { maxFaces: 4, minScore: 0.3 } });
    assert.equal(many.faces.length, 4);
    await sameEveryWay('faces', 'family_group.jpg', { max_faces: 4, min_score: 0.3 }, DetectFacesResponse.toJSON(many));
  });

  it('mesh with refine_landmarks and iris on portrait.jpg: the landmarks and gaze angles of gRPC FaceMesh and Iris', async () => {
    const mesh = await vision(c, 'faceMesh', { frame: encodedFrame('portrait.jpg'), options: { refineLandmarks: true } });
    assert.equal(mesh.faces[0]?.landmarks.length, 478);
    await sameEveryWay('mesh', 'portrait.jpg', { refine_landmarks: true }, FaceMeshResponse.toJSON(mesh));
    const iris = await vision(c, 'iris', { frame: encodedFrame('portrait.jpg') });
    assert.equal(iris.faces[0]?.leftEye?.iris.length, 5);
    const got = await sameEveryWay('iris', 'portrait.jpg', {}, IrisResponse.toJSON(iris));
    assert.equal(typeof (got['faces'] as Array<{ gaze: { yawDegrees: unknown } }>)[0]!.gaze.yawDegrees, 'number');
  });

  it('hands on left_hands.jpg (selfie) and hand_thumb_up.jpg: the landmarks, handedness and gestures of gRPC Hands', async () => {
    const two = await vision(c, 'hands', { frame: encodedFrame('left_hands.jpg'), options: { selfie: true } });
    assert.equal(two.hands.length, 2);
    assert.ok(two.hands.every((h) => h.handedness?.name === 'Right'));
    await sameEveryWay('hands', 'left_hands.jpg', { selfie: true }, HandsResponse.toJSON(two));
    const thumb = await vision(c, 'hands', { frame: encodedFrame('hand_thumb_up.jpg'), options: { maxHands: 1 } });
    const got = await sameEveryWay('hands', 'hand_thumb_up.jpg', { max_hands: 1 }, HandsResponse.toJSON(thumb));
    assert.equal((got['hands'] as Array<{ gesture: { name: string } }>)[0]!.gesture.name, 'Thumb_Up');
  });

  it('pose on pose.jpg and holistic on squats_standing_frame000.png: the landmarks and joint angles of gRPC Pose and Holistic', async () => {
    const pose = await vision(c, 'pose', { frame: encodedFrame('pose.jpg'), options: { complexity: PoseModel.POSE_MODEL_FULL } });
    assert.equal(pose.poses[0]?.landmarks.length, 33);
    const got = await sameEveryWay('pose', 'pose.jpg', { complexity: 'full' }, PoseResponse.toJSON(pose));
    const angles = (got['poses'] as Array<{ jointAngles: Record<string, number> }>)[0]!.jointAngles;
    assert.ok(Object.keys(angles).length >= 8 && typeof angles['left_elbow'] === 'number', JSON.stringify(angles));
    const holistic = await visionHolistic(c, { frame: encodedFrame('squats_standing_frame000.png') });
    assert.ok(holistic.pose && holistic.face && (holistic.leftHand || holistic.rightHand));
    await sameEveryWay('holistic', 'squats_standing_frame000.png', {}, HolisticResponse.toJSON(holistic));
  });

  it('segment on portrait.jpg: the gRPC mask as JSON; with Accept: image/png a PNG mask and a PNG effect image that agree with gRPC', async () => {
    const ref = await vision(c, 'segment', { frame: encodedFrame('portrait.jpg') });
    for (const kind of KINDS) {
      const a = await postImage(base, 'segment', 'portrait.jpg', kind);
      assert.equal(a.status, 200);
      const mask = a.json!['mask'] as { data: string; width: number; height: number };
      assert.deepEqual([mask.width, mask.height], [820, 1024]);
      assert.ok(differing(Buffer.from(mask.data, 'base64'), ref.mask!.data) < 0.001);
      assert.equal(a.json!['image'], undefined);
      assert.deepEqual(Object.keys(SegmentResponse.toJSON(ref) as object).filter((k) => k !== 'timing' && k !== 'mask'), []);
    }
    const png = await postImage(base, 'segment', 'portrait.jpg', 'raw', {}, { accept: 'image/png' });
    assert.equal(png.headers.get('content-type'), 'image/png');
    const m = await pixels(png.bytes);
    assert.deepEqual([m.width, m.height, m.channels], [820, 1024, 1]);
    assert.ok(differing(m.data, ref.mask!.data) < 0.001);
    const small = await postImage(base, 'segment', 'portrait.jpg', 'multipart', { model_size_mask: true }, { accept: 'image/png' });
    assert.deepEqual([(await pixels(small.bytes)).width, (await pixels(small.bytes)).height], [256, 256]);

    const blurred = await vision(c, 'segment', { frame: encodedFrame('portrait.jpg'), options: { effect: { blurRadius: 8 }, outputEncoding: ImageEncoding.IMAGE_ENCODING_PNG } });
    const fx = await postImage(base, 'segment', 'portrait.jpg', 'json', { blur_radius: 8 }, { accept: 'image/png' });
    assert.equal(fx.headers.get('content-type'), 'image/png');
    const [got, want] = await Promise.all([pixels(fx.bytes), pixels(Buffer.from(blurred.image!.data))]);
    assert.deepEqual([got.width, got.height, got.channels], [820, 1024, 3]);
    assert.ok(differing(got.data, want.data) < 0.001);
    const behind = await vision(c, 'segment', { frame: encodedFrame('portrait.jpg'), options: { effect: { backgroundImage: encodedFrame('cats_and_dogs.jpg') }, outputEncoding: ImageEncoding.IMAGE_ENCODING_PNG } });
    const form = new FormData();
    form.append('file', new Blob([readFileSync(testImage('portrait.jpg'))], { type: 'image/jpeg' }), 'portrait.jpg');
    form.append('background_image', new Blob([readFileSync(testImage('cats_and_dogs.jpg'))], { type: 'image/jpeg' }), 'cats_and_dogs.jpg');
    const replaced = await fetch(`${base}/v1/vision/segment`, { method: 'POST', body: form, headers: { accept: 'image/png' } });
    assert.equal(replaced.status, 200);
    const [r, rWant] = await Promise.all([pixels(Buffer.from(await replaced.arrayBuffer())), pixels(Buffer.from(behind.image!.data))]);
    assert.deepEqual([r.width, r.height], [820, 1024]);
    assert.ok(differing(r.data, rWant.data) < 0.001, 'the background_image part gives gRPC\'s background replacement');
    const green = await postImage(base, 'segment', 'portrait.jpg', 'raw', { background_color: 0x00ff00 }, { accept: 'image/png' });
    const g = await pixels(green.bytes);
    assert.deepEqual([...g.data.subarray(0, 3)], [0, 255, 0], 'the background corner is green');
  });

  it('bad input: 404 unknown task or model, 400 naming the field, 413 too large; the server keeps serving', async () => {
    assertRefusal(await postImage(base, 'objects', 'portrait.jpg', 'raw'), 404, 'task', 'TA_ERR_UNIMPLEMENTED');
    assertRefusal(await postImage(base, 'faces', 'portrait.jpg', 'raw', { model: 'nobody/no-such-model' }), 404, null, 'TA_ERR_MODEL_NOT_FOUND');
    const junk = Buffer.from('not an image at all');
    assertRefusal(await postImage(base, 'faces', junk, 'raw'), 400, 'body', 'TA_ERR_INVALID_ARGUMENT');
    assertRefusal(await postImage(base, 'mesh', junk, 'multipart'), 400, 'file', 'TA_ERR_INVALID_ARGUMENT');
    assertRefusal(await postImage(base, 'iris', junk, 'json'), 400, 'image', 'TA_ERR_INVALID_ARGUMENT');
    const cases: Array<[string, BodyKind, Record<string, string | number | boolean>, string]> = [
      ['faces', 'raw', { max_face: 2 }, 'max_face'],
      ['faces', 'raw', { min_score: 1.5 }, 'min_score'],
      ['faces', 'json', { min_score: 1.5 }, 'min_score'],
      ['hands', 'multipart', { max_hands: 11 }, 'max_hands'],
      ['hands', 'multipart', { selfie: 'maybe' }, 'selfie'],
      ['pose', 'raw', { complexity: 'extreme' }, 'complexity'],
      ['segment', 'json', { blur_radius: 0 }, 'blur_radius'],
      ['segment', 'raw', { blur_radius: 4, background_color: 255 }, 'background_color'],
      ['mesh', 'raw', { model: 'mediapipe/face-mesh', refine_landmarks: true }, 'refine_landmarks'],
    ];
    for (const [task, kind, options, param] of cases) {
      assertRefusal(await postImage(base, task, 'portrait.jpg', kind, options), 400, param, 'TA_ERR_INVALID_ARGUMENT');
    }
    const big = Buffer.alloc(33 * 1024 * 1024, 0xff);
    assertRefusal(await postImage(base, 'faces', big, 'raw'), 413, 'body', 'TA_ERR_INVALID_ARGUMENT');
    assertRefusal(await postImage(base, 'faces', big, 'multipart'), 413, 'file', 'TA_ERR_INVALID_ARGUMENT');
    // Past the route's body limit fastify refuses the JSON before it is parsed; the field is still named.
    const json = Buffer.from(JSON.stringify({ image: Buffer.alloc(34 * 1024 * 1024).toString('base64') }));
    assertRefusal(await postRefusedBody(`${base}/v1/vision/faces`, json, 'application/json'), 413, 'image', 'TA_ERR_INVALID_ARGUMENT');
    const form = new FormData();
    form.append('max_faces', '1');
    const noFile = await fetch(`${base}/v1/vision/faces`, { method: 'POST', body: form });
    assertRefusal({ status: noFile.status, headers: noFile.headers, bytes: Buffer.alloc(0), json: await noFile.json() as Record<string, unknown> }, 400, 'file', 'TA_ERR_INVALID_ARGUMENT');
    const ok = await postImage(base, 'faces', 'portrait.jpg', 'raw');
    assert.equal((ok.json!['faces'] as unknown[]).length, 1);
  });

  it(`a burst of 12 mesh requests past --queue-size ${QUEUE}: the admitted ones answer, the rest get 429 with Retry-After`, async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => postImage(base, 'mesh', 'family_group.jpg', 'raw', { max_faces: 7, min_score: 0.3 })));
    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    assert.ok(served.length >= QUEUE && refused.length >= 6, `${served.length} served, ${refused.length} refused`);
    for (const a of served) assert.ok((a.json!['faces'] as unknown[]).length >= 5);
    for (const a of refused) {
      assertRefusal(a, 429, null, 'TA_ERR_RESOURCE_EXHAUSTED');
      assert.ok(Number(a.headers.get('retry-after')) >= 1);
    }
  });
});
