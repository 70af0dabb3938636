// End-to-end: `tabagent vision` as a subprocess against a real tabagent-server: --json equals the
// gRPC result for every task, --out draws exactly where the landmarks are, --video gives one line
// per processed frame plus a drop count and an MP4 with that many frames, bad arguments exit 2.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DetectFacesResponse, FaceMeshResponse, HandsResponse, HolisticResponse, IrisResponse, PoseResponse, SegmentResponse,
} from '@tabagent/protos/v1/vision';
import sharp from 'sharp';
import { connect, type PublicClients } from '../support/clients.js';
import { countVideoFrames, runCli } from '../support/cli-process.js';
import { sharedDir, testImage } from '../support/paths.js';
import { startServer, tempDir, type ServerUnderTest } from '../support/server-process.js';
import { encodedFrame, preload, vision, visionHolistic } from './vision-helpers.js';

const MODELS = ['mediapipe/face-detection-short', 'mediapipe/face-mesh', 'mediapipe/iris', 'mediapipe/palm-detection', 'mediapipe/hand-landmark-full',
  'mediapipe/pose-detection', 'mediapipe/pose-landmark-full', 'mediapipe/selfie-segmentation'];

/** JSON without server timing (which differs between two calls). */
const untimed = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'timing' ? undefined : x)));

describe('tabagent vision (CLI subprocess)', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  let dir: string;

  before(async () => {
    dir = tempDir('tabagent-cli-');
    server = await startServer({ args: ['--keep-alive', '-1'] });
    c = connect(server.address);
    await preload(c, MODELS);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop();
  });

  it('--json of every task equals the gRPC result', async () => {
    const grpc: Record<string, [string, () => Promise<unknown>]> = {
      faces: ['portrait.jpg', async () => DetectFacesResponse.toJSON(await vision(c, 'detectFaces', { frame: encodedFrame('portrait.jpg') }))],
      mesh: ['portrait.jpg', async () => FaceMeshResponse.toJSON(await vision(c, 'faceMesh', { frame: encodedFrame('portrait.jpg') }))],
      iris: ['portrait.jpg', async () => IrisResponse.toJSON(await vision(c, 'iris', { frame: encodedFrame('portrait.jpg') }))],
      hands: ['left_hands.jpg', async () => HandsResponse.toJSON(await vision(c, 'hands', { frame: encodedFrame('left_hands.jpg') }))],
      pose: ['pose.jpg', async () => PoseResponse.toJSON(await vision(c, 'pose', { frame: encodedFrame('pose.jpg') }))],
      holistic: ['pose.jpg', async () => HolisticResponse.toJSON(await visionHolistic(c, { frame: encodedFrame('pose.jpg') }))],
      segment: ['portrait.jpg', async () => SegmentResponse.toJSON(await vision(c, 'segment', { frame: encodedFrame('portrait.jpg') }))],
    };
    for (const [task, [image, expected]] of Object.entries(grpc)) {
      const run = await runCli(server.address, ['vision', task, testImage(image), '--json']);
      assert.equal(run.code, 0, `${task}: ${run.stderr}`);
      const got = JSON.parse(run.stdout.trim()) as unknown;
      assert.deepEqual(untimed(got), untimed(await expected()), task);
    }
  });

  it('--out draws the face mesh: same size, changed at landmarks, unchanged far away', async () => {
    const out = join(dir, 'mesh.png');
    const run = await runCli(server.address, ['vision', 'mesh', testImage('portrait.jpg'), '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /1 face mesh/);
    const drawn = await sharp(out).raw().toBuffer({ resolveWithObject: true });
    const input = await sharp(testImage('portrait.jpg')).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([drawn.info.width, drawn.info.height], [input.info.width, input.info.height]);
    const mesh = await vision(c, 'faceMesh', { frame: encodedFrame('portrait.jpg') });
    const lm = mesh.faces[0]!.landmarks;
    const at = (img: typeof drawn, x: number, y: number): number[] => {
      const i = (Math.round(y) * img.info.width + Math.round(x)) * img.info.channels;
      return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
    };
    const W = input.info.width;
    const H = input.info.height;
    // Face-oval and lip contour landmarks (FACEMESH_FACE_OVAL, FACEMESH_LIPS) sit on drawn lines.
    for (const idx of [10, 152, 234, 454, 61, 291]) {
      const p = lm[idx]!;
      assert.notDeepEqual(at(drawn, p.x * W, p.y * H), at(input, p.x * W, p.y * H), `landmark ${idx} drawn`);
    }
    for (const [x, y] of [[5, 5], [W - 5, H - 5], [W - 5, 5]] as const) assert.deepEqual(at(drawn, x, y), at(input, x, y), `pixel ${x},${y} untouched`);
  });

  it('--video gives one line per processed frame, a drop count, and an MP4 of the processed frames', async () => {
    const video = join(sharedDir(), 'testdata', 'video', 'hand_reach_open_palm.mp4');
    const out = join(dir, 'out.mp4');
    const run = await runCli(server.address, ['vision', 'mesh', '--video', video, '--fps', '5', '--json', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.at(-1)!['summary'] as { decoded: number; processed: number; dropped: number; transport: string };
    assert.equal(summary.transport, 'shared-memory', 'a local server reads the frames from shared memory');
    const frames = lines.slice(0, -1).filter((l) => l['result'] !== undefined);
    assert.equal(frames.length, summary.processed);
    assert.ok(summary.decoded >= 38 && summary.decoded <= 42, `8.08 s at 5 fps gives about 40 frames, got ${summary.decoded}`);
    assert.equal(summary.processed + summary.dropped, summary.decoded, JSON.stringify(summary));
    assert.ok(summary.processed > 0);
    assert.equal(await countVideoFrames(out), summary.processed);
  });

  it('bad arguments exit 2 with a usage line', async () => {
    for (const args of [['vision', 'noses', testImage('portrait.jpg')], ['vision', 'mesh'], ['vision', 'mesh', testImage('portrait.jpg'), '--out', 'x.jpg'],
      ['vision', 'mesh', '--video', 'v.mp4', '--fps', 'zero'], ['models', 'load'], ['frobnicate']]) {
      const run = await runCli(server.address, args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /Usage: tabagent/, args.join(' '));
    }
  });

  it('a server error exits 1', async () => {
    const run = await runCli(server.address, ['vision', 'faces', testImage('portrait.jpg'), '--model', 'no/such-model']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /server error/);
    assert.ok(readFileSync(testImage('portrait.jpg')).length > 0);
  });
});
