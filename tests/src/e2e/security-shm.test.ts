// End-to-end: shared-memory rules. `--shm-require-auth` (or TABAGENT_SHM_REQUIRE_AUTH) refuses to
// start without --auth-token; with it, SharedMemory refuses callers without the bearer token (or
// with a wrong one) and serves the token holder. A region's file replaced by a symlink after
// registration (pointing at a file with the very same pixels outside --shm-dir) is refused naming
// the field, and the ML child keeps serving.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, grpcChannelOptions } from '@tabagent/common';
import { SharedMemoryClient, type RegisterSharedMemoryRequest } from '@tabagent/protos/v1/shared_memory';
import { DetectFacesRequest, PixelFormat, type DetectFacesResponse } from '@tabagent/protos/v1/vision';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { repoRoot, serverCli } from '../support/paths.js';
import { startServer, tempDir, waitServing, type ServerUnderTest } from '../support/server-process.js';
import { rgbOf } from './vision-helpers.js';
import { buildCommand, parseConfig } from '../../../supervisor/dist/config/config.js';

const TOKEN = 'shm-test-token-6a0e9c';
const FACES = 'mediapipe/face-detection-short';

function bearer(token: string | undefined): Metadata {
  const m = new Metadata();
  if (token !== undefined) m.set('authorization', `Bearer ${token}`);
  return m;
}

describe('--shm-require-auth', () => {
  it('refuses to start without --auth-token (TABAGENT_SHM_REQUIRE_AUTH, a real start), and so does the flag; its help line', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, TABAGENT_SHM_REQUIRE_AUTH: '1' };
    delete env['TABAGENT_AUTH_TOKEN'];
    const r = spawnSync(process.execPath, [serverCli, '--port', '0', '--no-http'], { cwd: repoRoot, env, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /--shm-require-auth needs --auth-token/);
    assert.throws(() => parseConfig(['--shm-require-auth'], undefined, {}), (e: Error) => /--shm-require-auth needs --auth-token/.test(e.message));
    assert.equal(parseConfig(['--shm-require-auth', '--auth-token', 't']).shmRequireAuth, true);
    assert.equal(parseConfig([]).shmRequireAuth, false);
    assert.match(buildCommand().helpInformation(), /--shm-require-auth +only callers presenting[\s\S]*TABAGENT_SHM_REQUIRE_AUTH/);
  });
});

describe('shared memory with --shm-require-auth --auth-token', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  let shm: SharedMemoryClient;
  let dir = '';
  let outside = '';
  let pixels: { data: Buffer; width: number; height: number };

  const register = (req: RegisterSharedMemoryRequest, token: string | undefined): Promise<unknown> =>
    call(shm, shm.register, req, { meta: bearer(token) });
  const detect = (region: string): Promise<DetectFacesResponse> => call(c.vision, c.vision.detectFaces, DetectFacesRequest.fromPartial({
    model: FACES, frame: { width: pixels.width, height: pixels.height, format: PixelFormat.PIXEL_FORMAT_RGB, sharedMemory: { region, offset: 0, byteSize: pixels.data.length } },
  }), { meta: bearer(TOKEN) });

  before(async () => {
    const tmp = tempDir('tabagent-shm-auth-');
    dir = join(tmp, 'shm');
    outside = join(tmp, 'outside');
    mkdirSync(dir);
    mkdirSync(outside);
    pixels = await rgbOf('portrait.jpg');
    writeFileSync(join(dir, 'camera0'), pixels.data);
    writeFileSync(join(outside, 'pixels'), pixels.data);
    server = await startServer({ args: ['--shm-dir', dir, '--shm-require-auth', '--auth-token', TOKEN, '--no-http', '--keep-alive', '-1'] });
    c = connect(server.address);
    shm = new SharedMemoryClient(server.address, credentials.createInsecure(), grpcChannelOptions());
    await call(c.models, c.models.loadModel, { model: FACES, options: { devices: [], threads: 0, keepAliveSeconds: -1 } }, { timeoutMs: 120_000, meta: bearer(TOKEN) });
  });
  after(async () => {
    shm?.close();
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('refuses Register and List without the bearer token or with a wrong one; the token holder registers', async () => {
    const req = { name: 'cam', key: '/camera0', byteSize: pixels.data.length };
    for (const token of [undefined, 'wrong-token', '']) {
      const err = await expectGrpcError(register(req, token));
      assert.equal(err.code, status.UNAUTHENTICATED, `${String(token)}: ${status[err.code]} ${err.details}`);
      assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_UNAUTHENTICATED');
      assert.equal((await expectGrpcError(call(shm, shm.list, {}, { meta: bearer(token) }))).code, status.UNAUTHENTICATED);
    }
    assert.deepEqual((await call(shm, shm.list, {}, { meta: bearer(TOKEN) })).regions, [], 'nothing was registered by the refused calls');
    assert.deepEqual(await register(req, TOKEN), { region: req });
    assert.equal((await detect('cam')).faces.length, 1);
  });

  it('refuses keys outside --shm-dir: .., a symlink planted in the folder', async () => {
    symlinkSync(join(outside, 'pixels'), join(dir, 'planted'));
    for (const key of ['../outside/pixels', '/planted', 'planted', `${outside}/pixels`]) {
      const err = await expectGrpcError(register({ name: 'x', key, byteSize: 16 }, TOKEN));
      assert.equal(err.code, status.INVALID_ARGUMENT, `${key}: ${status[err.code]} ${err.details}`);
      assert.match(err.details, /^key: /, key);
    }
  });

  it('a region whose file becomes a symlink after registration is refused naming the region; the child keeps serving', async () => {
    const [pid] = server.childPids();
    renameSync(join(dir, 'camera0'), join(dir, 'camera0.old'));
    symlinkSync(join(outside, 'pixels'), join(dir, 'camera0'));
    const err = await expectGrpcError(detect('cam'));
    assert.equal(err.code, status.INVALID_ARGUMENT, `${status[err.code]} ${err.details}`);
    assert.match(err.details, /^frame\.shared_memory\.region: .*symlink/);
    renameSync(join(dir, 'camera0.old'), join(dir, 'camera0'));
    assert.equal((await detect('cam')).faces.length, 1, 'the same region reads the real file again');
    assert.deepEqual(server.childPids(), [pid]);
    await waitServing(server.address, 'tabagent.ml', 5_000);
  });
});
