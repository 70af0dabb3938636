// End-to-end: frames passed through registered shared-memory regions instead of message bytes.
// Results equal those of the same pixels sent in `data` (DetectFaces, FaceMesh, Segment, a Track stream),
// a region survives a SIGKILL of the ML child (the supervisor holds the table), and bad
// registrations and references fail with the right status naming the field.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { credentials, status, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions } from '@tabagent/common';
import { SharedMemoryClient, type RegisterSharedMemoryRequest } from '@tabagent/protos/v1/shared_memory';
import { ImageEncoding, PixelFormat, TrackTask, type DeepPartial, type Frame } from '@tabagent/protos/v1/vision';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { startServer, tempDir, waitServing, type ServerUnderTest } from '../support/server-process.js';
import { openTrack, preload, rgbOf, vision } from './vision-helpers.js';

const MODELS = ['mediapipe/face-detection-short', 'mediapipe/face-mesh', 'mediapipe/selfie-segmentation'];
/** Where the portrait's pixels start in the region (not at 0, to exercise offsets). */
const OFFSET = 4096;

describe('Vision frames through shared memory', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  let shm: SharedMemoryClient;
  let dir: string;
  let pixels: { data: Buffer; width: number; height: number };

  const register = (req: RegisterSharedMemoryRequest): Promise<unknown> => call(shm, shm.register, req);
  const shmFrame = (region: string, offset = OFFSET, byteSize = pixels.data.length): DeepPartial<Frame> => ({
    width: pixels.width, height: pixels.height, format: PixelFormat.PIXEL_FORMAT_RGB, sharedMemory: { region, offset, byteSize },
  });
  const dataFrame = (): DeepPartial<Frame> => ({ data: pixels.data, width: pixels.width, height: pixels.height, format: PixelFormat.PIXEL_FORMAT_RGB });
  const expectError = async (p: Promise<unknown>, code: status, field: string): Promise<ServiceError> => {
    const err = await expectGrpcError(p);
    assert.equal(err.code, code, `${err.code} ${err.details}`);
    assert.ok(err.details.includes(field), `"${err.details}" names ${field}`);
    return err;
  };

  before(async () => {
    dir = tempDir('tabagent-shm-');
    pixels = await rgbOf('portrait.jpg');
    const region = Buffer.alloc(OFFSET + pixels.data.length * 2);
    pixels.data.copy(region, OFFSET);
    writeFileSync(join(dir, 'camera0'), region);
    server = await startServer({ args: ['--shm-dir', dir, '--keep-alive', '-1'] });
    c = connect(server.address);
    shm = new SharedMemoryClient(server.address, credentials.createInsecure(), grpcChannelOptions());
    await preload(c, MODELS);
    await register({ name: 'cam', key: '/camera0', byteSize: region.length });
  });
  after(async () => {
    shm?.close();
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('DetectFaces and FaceMesh from a region equal the same pixels sent as data', async () => {
    const [viaShm, viaData] = [await vision(c, 'detectFaces', { frame: shmFrame('cam') }), await vision(c, 'detectFaces', { frame: dataFrame() })];
    assert.equal(viaShm.faces.length, 1);
    assert.deepEqual(viaShm.faces.map((f) => [f.box, f.keypoints, f.score]), viaData.faces.map((f) => [f.box, f.keypoints, f.score]));
    const [meshShm, meshData] = [await vision(c, 'faceMesh', { frame: shmFrame('cam') }), await vision(c, 'faceMesh', { frame: dataFrame() })];
    assert.equal(meshShm.faces[0]?.landmarks.length, 468);
    assert.deepEqual(meshShm.faces[0]?.landmarks, meshData.faces[0]?.landmarks);
  });

  it('Segment from a region returns its effect image raw in the frame\'s format, equal to the data path', async () => {
    const opts = { effect: { backgroundColor: 0x00ff00 } };
    const viaShm = await vision(c, 'segment', { frame: shmFrame('cam'), options: opts });
    const viaData = await vision(c, 'segment', { frame: dataFrame(), options: opts });
    const img = viaShm.image!;
    assert.deepEqual([img.width, img.height, img.format, img.encoding], [pixels.width, pixels.height, PixelFormat.PIXEL_FORMAT_RGB, ImageEncoding.IMAGE_ENCODING_RAW]);
    assert.ok(Buffer.from(img.data).equals(Buffer.from(viaData.image!.data)), 'same effect image');
    assert.ok(Buffer.from(viaShm.mask!.data).equals(Buffer.from(viaData.mask!.data)), 'same mask');
  });

  it('a Track stream reads every frame from the region and tracks one face', async () => {
    const t = openTrack(c);
    const results = [];
    for (let i = 0; i < 8; i++) {
      t.send({ timestampUs: 1000 + i * 33_333, task: TrackTask.TRACK_TASK_FACE_MESH, frame: shmFrame('cam') });
      results.push(await t.next());
    }
    await t.finish();
    assert.ok(results.every((r) => r.status === '' && r.faceMesh?.faces.length === 1), JSON.stringify(results.map((r) => r.status)));
    assert.equal(results.filter((r) => r.detectorRan).length, 1, 'the detector ran on the first frame only');
    assert.equal(new Set(results.map((r) => r.faceMesh?.faces[0]?.detection?.id)).size, 1, 'one face id');
  });

  it('a region outlives a SIGKILL of the ML child: the supervisor holds the table', async () => {
    const [old] = server.childPids();
    assert.ok(old !== undefined);
    process.kill(old, 'SIGKILL');
    for (let i = 0; i < 200 && server.childPids()[0] === old; i++) await new Promise((r) => setTimeout(r, 50));
    await waitServing(server.address, 'tabagent.ml', 30_000);
    const res = await vision(c, 'detectFaces', { frame: shmFrame('cam') });
    assert.equal(res.faces.length, 1);
  });

  it('rejects bad registrations naming the field', async () => {
    await expectError(register({ name: 'cam', key: '/camera0', byteSize: 10 }), status.ALREADY_EXISTS, 'name');
    await expectError(register({ name: 'bad name', key: '/camera0', byteSize: 10 }), status.INVALID_ARGUMENT, 'name');
    await expectError(register({ name: 'x', key: '/missing', byteSize: 10 }), status.NOT_FOUND, 'key');
    await expectError(register({ name: 'x', key: '../etc/passwd', byteSize: 10 }), status.INVALID_ARGUMENT, 'key');
    await expectError(register({ name: 'x', key: '/camera0', byteSize: 0 }), status.INVALID_ARGUMENT, 'byte_size');
    await expectError(register({ name: 'x', key: '/camera0', byteSize: 1 << 30 }), status.INVALID_ARGUMENT, 'byte_size');
    mkdirSync(join(dir, 'folder'));
    symlinkSync('/etc/hostname', join(dir, 'link'));
    await expectError(register({ name: 'x', key: 'folder', byteSize: 1 }), status.INVALID_ARGUMENT, 'key');
    await expectError(register({ name: 'x', key: 'link', byteSize: 1 }), status.INVALID_ARGUMENT, 'key');
    const listed = await call(shm, shm.list, {});
    assert.deepEqual(listed.regions.map((r) => r.name), ['cam']);
  });

  it('rejects bad frame references naming the field; the child keeps serving', async () => {
    await expectError(vision(c, 'detectFaces', { frame: shmFrame('nope') }), status.NOT_FOUND, 'frame.shared_memory.region');
    const size = OFFSET + pixels.data.length * 2;
    await expectError(vision(c, 'detectFaces', { frame: shmFrame('cam', size - 10, pixels.data.length) }), status.INVALID_ARGUMENT, 'frame.shared_memory.byte_size');
    await expectError(vision(c, 'detectFaces', { frame: { ...shmFrame('cam'), data: Buffer.alloc(3) } }), status.INVALID_ARGUMENT, 'frame');
    await expectError(vision(c, 'detectFaces', { frame: shmFrame('cam', OFFSET, pixels.data.length - 3) }), status.INVALID_ARGUMENT, 'frame.data');
    const ok = await vision(c, 'detectFaces', { frame: shmFrame('cam') });
    assert.equal(ok.faces.length, 1);
  });

  it('holds 64 regions with 64-character names (a Track stream carries all of them); the 65th is RESOURCE_EXHAUSTED', async () => {
    const names = Array.from({ length: 63 }, (_, i) => `r${String(i).padStart(2, '0')}-${'x'.repeat(60)}`);
    for (const name of names) await register({ name, key: '/camera0', byteSize: OFFSET + pixels.data.length });
    await expectError(register({ name: 'one-too-many', key: '/camera0', byteSize: 10 }), status.RESOURCE_EXHAUSTED, 'name');
    await expectError(register({ name: 'y'.repeat(65), key: '/camera0', byteSize: 10 }), status.INVALID_ARGUMENT, 'name');
    const last = names.at(-1)!;
    assert.equal((await vision(c, 'detectFaces', { frame: shmFrame(last) })).faces.length, 1);
    const t = openTrack(c);
    t.send({ timestampUs: 1, task: TrackTask.TRACK_TASK_FACES, frame: shmFrame(last) });
    t.send({ timestampUs: 2, task: TrackTask.TRACK_TASK_FACES, frame: shmFrame('cam') });
    const results = [await t.next(), ...(await t.finish())];
    assert.ok(results.every((r) => r.status === '' && r.faces?.faces.length === 1), JSON.stringify(results.map((r) => r.status)));
    for (const name of names) await call(shm, shm.unregister, { name });
  });

  it('unregistering a region makes its references NOT_FOUND; an empty name drops every region', async () => {
    await register({ name: 'second', key: '/camera0', byteSize: 100 });
    assert.equal((await call(shm, shm.unregister, { name: 'cam' })).unregistered, 1);
    await expectError(vision(c, 'detectFaces', { frame: shmFrame('cam') }), status.NOT_FOUND, 'frame.shared_memory.region');
    assert.equal((await call(shm, shm.unregister, { name: '' })).unregistered, 1);
    assert.deepEqual((await call(shm, shm.list, {})).regions, []);
  });
});
