// End-to-end: `--mode ml` + `--mode supervisor --ml-endpoint`. The ML service started on its own
// reads model files through the supervisor's public ModelFiles, guarded by TABAGENT_ML_SECRET; the
// supervisor spawns nothing, and when the ML service is killed and started again it reconnects and
// loads the models again by itself. Without the secret, attach mode refuses to start.
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { SECRET_KEY, grpcChannelOptions } from '@tabagent/common';
import { ModelFilesClient, type FileChunk } from '@tabagent/protos/v1/model_files';
import { ModelState } from '@tabagent/protos/v1/model_management';
import type { GenerateRequest, GenerateResponse } from '@tabagent/protos/v1/text';
import { call, connect, type PublicClients } from '../support/clients.js';
import { freePort, startMl } from '../support/ml-nodes.js';
import { serverCli, sharedDir } from '../support/paths.js';
import { startServer, waitServing, type ServerUnderTest } from '../support/server-process.js';

const STORIES = 'karpathy/stories260K';

/** A greedy Generate; resolves with its token count. */
function generate(c: PublicClients, maxNewTokens: number): Promise<number> {
  const req: GenerateRequest = { model: STORIES, prompt: 'Once upon a time', sampling: { maxNewTokens, temperature: 0, topK: 0, stop: [] } };
  return new Promise((resolve, reject) => {
    let n = 0;
    const s = c.text.generate(req, new Metadata(), { deadline: new Date(Date.now() + 30_000) });
    s.on('data', (r: GenerateResponse) => (n += r.delta?.tokenIds.length ?? 0));
    s.on('error', reject);
    s.on('end', () => resolve(n));
  });
}

/** Reads one model file through the public ModelFiles with a given secret. */
function readPublicFile(address: string, secret: string | undefined): Promise<number> {
  const client = new ModelFilesClient(address, credentials.createInsecure(), grpcChannelOptions());
  const meta = new Metadata();
  if (secret !== undefined) meta.set(SECRET_KEY, secret);
  return new Promise((resolve, reject) => {
    let bytes = 0;
    const s = client.getModelFile({ model: STORIES, path: 'onnx/model.onnx', offset: 0 }, meta, { deadline: new Date(Date.now() + 10_000) });
    s.on('data', (c: FileChunk) => (bytes += c.data.length));
    s.on('error', (e: ServiceError) => {
      client.close();
      reject(e);
    });
    s.on('end', () => {
      client.close();
      resolve(bytes);
    });
  });
}

describe('attach mode: --mode supervisor --ml-endpoint with a separate --mode ml service', () => {
  const secret = randomBytes(18).toString('base64url');
  let ml: ChildProcess | undefined;
  let server: ServerUnderTest | undefined;
  let c: PublicClients | undefined;
  after(async () => {
    c?.close();
    ml?.kill('SIGKILL');
    if (server) await server.stop('SIGTERM');
  });

  it('refuses to start without TABAGENT_ML_SECRET', () => {
    const env = { ...process.env };
    delete env['TABAGENT_ML_SECRET'];
    const r = spawnSync(process.execPath, [serverCli, '--mode', 'supervisor', '--ml-endpoint', '127.0.0.1:1', '--port', '0'], { env, encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /TABAGENT_ML_SECRET/);
  });

  it('serves through the attached service, which reads files via the guarded public ModelFiles', async () => {
    const port = await freePort();
    const started = await startMl('127.0.0.1:0', `127.0.0.1:${port}`, secret);
    ml = started.proc;
    server = await startServer({
      args: ['--mode', 'supervisor', '--ml-endpoint', started.address, '--port', String(port), '--shared-models-dir', join(sharedDir(), 'models')],
      env: { TABAGENT_ML_SECRET: secret },
    });
    c = connect(server.address);
    assert.equal(server.port, port);
    assert.deepEqual(server.childPids(), [], 'attach mode spawns no ML child');
    assert.equal(await generate(c, 12), 12);
    const info = await call(c.models, c.models.getModel, { model: STORIES });
    assert.equal(info.state, ModelState.MODEL_STATE_READY);

    assert.ok(await readPublicFile(server.address, secret) > 100_000, 'the shared secret reads an issued file');
    for (const wrong of [undefined, 'not-the-secret']) {
      await assert.rejects(readPublicFile(server.address, wrong), (e: ServiceError) => e.code === status.UNAUTHENTICATED);
    }
  });

  it('reconnects to a restarted ML service and loads the models again by itself', async () => {
    assert.ok(ml && server && c);
    const oldAddress = server.logs.join('\n').match(/"address":"(127\.0\.0\.1:\d+)"/)?.[1];
    assert.ok(oldAddress);
    const t0 = Date.now();
    ml.kill('SIGKILL');
    await server.waitForLog(/"msg":"ML service stopped serving; reconnecting"|"msg":"ML child exited"/, 10_000);
    const restarted = await startMl(oldAddress, `127.0.0.1:${server.port}`, secret);
    ml = restarted.proc;
    await waitServing(server.address, 'tabagent.ml', 20_000);
    process.stdout.write(`attached service back and ready ${Date.now() - t0} ms after its SIGKILL\n`);
    const st = await call(c.models, c.models.getRuntimeStatus, {});
    assert.equal(st.state, 'ready');
    assert.ok(st.restarts >= 1);
    assert.equal(st.runtime?.pid, restarted.proc.pid, 'the status comes from the new ML service');
    assert.deepEqual(st.runtime?.models.map((m) => m.model), [STORIES], 'the model was loaded again without a LoadModel call');
    assert.equal(await generate(c, 12), 12);
  });
});
