// End-to-end: only the supervisor can call the ML child. In mode all the child listens on a 0600
// unix socket inside a 0700 folder and refuses Runtime, Vision and Text calls without the per-spawn
// secret (or with a wrong one) with UNAUTHENTICATED, and so does the supervisor's ModelFiles socket
// beside it; the refused calls neither restart the child nor disturb the public server. An ML
// service started alone (`--mode ml`, the attach mode's TCP link) refuses to start without
// TABAGENT_ML_SECRET and refuses callers that do not present it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status, type Client } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, HealthClient, SECRET_KEY, grpcChannelOptions } from '@tabagent/common';
import { ModelFilesClient } from '@tabagent/protos/v1/model_files';
import { RuntimeClient } from '@tabagent/protos/v1/runtime';
import { EmbedRequest, GenerateRequest, TextClient } from '@tabagent/protos/v1/text';
import { DetectFacesRequest, VisionClient } from '@tabagent/protos/v1/vision';
import { call, expectGrpcError } from '../support/clients.js';
import { startMlService, type MlService } from '../support/ml-service.js';
import { repoRoot, serverCli } from '../support/paths.js';
import { startServer, waitServing, type ServerUnderTest } from '../support/server-process.js';

/** Metadata with a secret, or none. */
function secretMeta(secret: string | undefined): Metadata {
  const m = new Metadata();
  if (secret !== undefined) m.set(SECRET_KEY, secret);
  return m;
}

/** Drains a server stream; resolves with the messages, rejects with its error. */
function drain(stream: NodeJS.EventEmitter): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const out: unknown[] = [];
    stream.on('data', (d: unknown) => out.push(d));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}

async function expectUnauthenticated(p: Promise<unknown>, what: string): Promise<void> {
  const err = await expectGrpcError(p);
  assert.equal(err.code, status.UNAUTHENTICATED, `${what}: got ${status[err.code]} ${err.details}`);
  assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_UNAUTHENTICATED', what);
  assert.match(err.details, /secret/, what);
}

/** Every call of the child's three services that a stranger might try, with a given secret. */
async function strangerCalls(address: string, secret: string | undefined): Promise<void> {
  const creds = credentials.createInsecure();
  const runtime = new RuntimeClient(address, creds, grpcChannelOptions());
  const vision = new VisionClient(address, creds, grpcChannelOptions());
  const text = new TextClient(address, creds, grpcChannelOptions());
  const label = secret === undefined ? 'no secret' : 'wrong secret';
  const meta = { meta: secretMeta(secret), timeoutMs: 10_000 };
  try {
    await expectUnauthenticated(call(runtime, runtime.status, {}, meta), `Runtime.Status, ${label}`);
    await expectUnauthenticated(call(runtime, runtime.unloadModel, { model: 'karpathy/stories260K' }, meta), `Runtime.UnloadModel, ${label}`);
    await expectUnauthenticated(call(vision, vision.detectFaces, DetectFacesRequest.fromPartial({ model: 'mediapipe/face-detection-short' }), meta), `Vision.DetectFaces, ${label}`);
    await expectUnauthenticated(call(text, text.embed, EmbedRequest.fromPartial({ model: 'google/universal-sentence-encoder-lite', texts: ['x'] }), meta), `Text.Embed, ${label}`);
    const gen = text.generate(GenerateRequest.fromPartial({ model: 'karpathy/stories260K', prompt: 'Once' }), secretMeta(secret), { deadline: new Date(Date.now() + 10_000) });
    await expectUnauthenticated(drain(gen), `Text.Generate (stream), ${label}`);
  } finally {
    [runtime, vision, text].forEach((c: Client) => c.close());
  }
}

/** The value after `flag` in a process's command line. */
function argOf(pid: number, flag: string): string {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const i = argv.indexOf(flag);
  assert.ok(i >= 0, `${flag} not in the child's command line`);
  return argv[i + 1] ?? '';
}

describe('the child link in mode all', () => {
  let server: ServerUnderTest;
  let childPid: number;
  let listen = '';
  let files = '';

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--no-http'] });
    const [pid] = server.childPids();
    assert.ok(pid !== undefined, 'one ML child');
    childPid = pid;
    listen = argOf(pid, '--listen');
    files = argOf(pid, '--files-endpoint');
  });
  after(async () => {
    if (server) await server.stop('SIGTERM');
  });

  it('listens on 0600 unix sockets inside a 0700 folder that only this user can enter', () => {
    assert.match(listen, /^unix:\//);
    assert.match(files, /^unix:\//);
    for (const addr of [listen, files]) {
      const sock = addr.slice('unix:'.length);
      const st = statSync(sock);
      assert.ok(st.isSocket(), `${sock} is a socket`);
      assert.equal(st.mode & 0o777, 0o600, `${sock} mode ${(st.mode & 0o777).toString(8)}`);
      assert.equal(st.uid, process.getuid?.());
      const dir = statSync(dirname(sock));
      assert.equal(dir.mode & 0o777, 0o700, `${dirname(sock)} mode ${(dir.mode & 0o777).toString(8)}`);
      assert.equal(dir.mode & 0o077, 0, 'no group or world access to the folder');
    }
    assert.equal(dirname(listen), dirname(files), 'both sockets share the private folder');
  });

  it('reaches the child (health is open) but refuses Runtime, Vision and Text without the secret or with a wrong one', async () => {
    const health = new HealthClient(listen);
    try {
      assert.equal(await health.check('', 5_000), 'SERVING', 'the socket reaches the child');
    } finally {
      health.close();
    }
    await strangerCalls(listen, undefined);
    await strangerCalls(listen, randomBytes(16).toString('hex'));
    await strangerCalls(listen, '');
  });

  it('refuses ModelFiles on the supervisor socket without the secret', async () => {
    const client = new ModelFilesClient(files, credentials.createInsecure(), grpcChannelOptions());
    try {
      for (const secret of [undefined, 'wrong', '']) {
        const s = client.getModelFile({ model: 'karpathy/stories260K', path: 'config.json', offset: 0 }, secretMeta(secret), { deadline: new Date(Date.now() + 10_000) });
        await expectUnauthenticated(drain(s), `GetModelFile, secret ${JSON.stringify(secret)}`);
      }
    } finally {
      client.close();
    }
  });

  it('the refused calls neither restarted the child nor disturbed the public server', async () => {
    assert.deepEqual(server.childPids(), [childPid]);
    await waitServing(server.address, 'tabagent.ml', 5_000);
    assert.equal(server.logs.filter((l) => l.includes('"msg":"ML child exited"')).length, 0);
  });
});

describe('the attach mode TCP link (--mode ml)', () => {
  const secret = randomBytes(18).toString('base64url');
  let ml: MlService | undefined;
  after(() => {
    ml?.proc.kill('SIGKILL');
  });

  it('refuses to start without TABAGENT_ML_SECRET', () => {
    const env = { ...process.env };
    delete env['TABAGENT_ML_SECRET'];
    const r = spawnSync(process.execPath, [serverCli, '--mode', 'ml', '--ml-listen', '127.0.0.1:0'], { cwd: repoRoot, env, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /TABAGENT_ML_SECRET/);
    assert.equal(r.stdout.includes('"listening"'), false, 'it never listened');
  });

  it('refuses callers without the shared secret or with a wrong one; the secret holder is served', async () => {
    ml = await startMlService({ secret });
    assert.match(ml.address, /^127\.0\.0\.1:\d+$/);
    await strangerCalls(ml.address, undefined);
    await strangerCalls(ml.address, `${secret}x`);
    const runtime = new RuntimeClient(ml.address, credentials.createInsecure(), grpcChannelOptions());
    try {
      const st = await call(runtime, runtime.status, {}, { meta: secretMeta(secret) });
      assert.equal(st.pid, ml.proc.pid, 'the holder of the secret gets the status');
    } finally {
      runtime.close();
    }
    assert.equal(ml.proc.exitCode, null, 'the service is still running');
  });
});
