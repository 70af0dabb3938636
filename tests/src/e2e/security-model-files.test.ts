// End-to-end: GetModelFile serves only the files of an issued manifest. In attach mode the
// supervisor serves ModelFiles on its public port (guarded by TABAGENT_ML_SECRET); with the secret,
// a client tries `..`, absolute, URL-encoded (`%2e%2e%2f`), NUL-containing and symlinked paths (a
// symlink planted in the model's cache folder, pointing outside it), a file in the folder that was
// never issued and an issued file missing from the cache. Each gets its status naming the field,
// and the server and the ML service keep serving the loaded model.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, SECRET_KEY, grpcChannelOptions } from '@tabagent/common';
import { ModelFilesClient, type FileChunk } from '@tabagent/protos/v1/model_files';
import { GenerateRequest, type GenerateResponse } from '@tabagent/protos/v1/text';
import { connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { freePort, startMlService, type MlService } from '../support/ml-service.js';
import { sharedDir } from '../support/paths.js';
import { sharedTestCache, startServer, tempDir, waitServing, type ServerUnderTest } from '../support/server-process.js';

const STORIES = 'karpathy/stories260K';
const FOLDER = 'karpathy--stories260K';

/** Greedy tokens of a short Generate. */
function generate(c: PublicClients, maxNewTokens: number): Promise<number[]> {
  const req = GenerateRequest.fromPartial({ model: STORIES, prompt: 'Once upon a time', sampling: { maxNewTokens, temperature: 0, topK: 0 } });
  return new Promise((resolve, reject) => {
    const ids: number[] = [];
    const s = c.text.generate(req, new Metadata(), { deadline: new Date(Date.now() + 30_000) });
    s.on('data', (r: GenerateResponse) => ids.push(...(r.delta?.tokenIds ?? [])));
    s.on('error', reject);
    s.on('end', () => resolve(ids));
  });
}

describe('GetModelFile refuses files outside the issued manifest (attach mode, public ModelFiles)', () => {
  const secret = randomBytes(18).toString('base64url');
  let cache = '';
  let outside = '';
  let modelDir = '';
  let ml: MlService | undefined;
  let server: ServerUnderTest | undefined;
  let c: PublicClients;
  let files: ModelFilesClient;
  let golden: number[] = [];

  const fetch = (path: string, model = STORIES): Promise<FileChunk[]> => {
    const meta = new Metadata();
    meta.set(SECRET_KEY, secret);
    return new Promise((resolve, reject) => {
      const out: FileChunk[] = [];
      const s = files.getModelFile({ model, path, offset: 0 }, meta, { deadline: new Date(Date.now() + 10_000) });
      s.on('data', (d: FileChunk) => out.push(d));
      s.on('error', reject);
      s.on('end', () => resolve(out));
    });
  };
  const refused = async (path: string, code: status, errorCode: string, words: RegExp, model?: string): Promise<void> => {
    const err = await expectGrpcError(fetch(path, model));
    const what = JSON.stringify(path);
    assert.equal(err.code, code, `${what}: got ${status[err.code]} ${err.details}`);
    assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], errorCode, what);
    assert.match(err.details, words, what);
  };

  before(async () => {
    const tmp = tempDir('tabagent-files-sec-');
    cache = join(tmp, 'cache');
    outside = join(tmp, 'outside');
    // A private copy of the test cache's stories260K, so symlinks can be planted in it.
    cpSync(join(sharedTestCache(), FOLDER), join(cache, FOLDER), { recursive: true });
    const [rev] = readdirSync(join(cache, FOLDER));
    assert.ok(rev !== undefined);
    modelDir = join(cache, FOLDER, rev);
    cpSync(modelDir, outside, { recursive: true });
    writeFileSync(join(outside, 'tokenizer_config.json'), '{"planted": "outside the cache"}');
    const port = await freePort();
    ml = await startMlService({ secret, filesEndpoint: `127.0.0.1:${port}` });
    server = await startServer({
      args: ['--mode', 'supervisor', '--ml-endpoint', ml.address, '--port', String(port), '--no-http',
        '--cache-dir', cache, '--shared-models-dir', join(sharedDir(), 'models'), '--keep-alive', '-1'],
      env: { TABAGENT_ML_SECRET: secret },
    });
    c = connect(server.address);
    files = new ModelFilesClient(server.address, credentials.createInsecure(), grpcChannelOptions());
    golden = await generate(c, 8);
    assert.equal(golden.length, 8);
  });
  after(async () => {
    files?.close();
    c?.close();
    ml?.proc.kill('SIGKILL');
    if (server) await server.stop('SIGTERM');
  });

  it('serves an issued file to the secret holder', async () => {
    const chunks = await fetch('onnx/model.onnx');
    assert.ok(chunks[0]!.totalSize > 1_000_000);
    assert.equal(chunks.reduce((n, ch) => n + ch.data.length, 0), chunks[0]!.totalSize);
  });

  it('refuses .., absolute, URL-encoded and NUL paths, naming path', async () => {
    const denied = (p: string, words = /^path: .*outside the model/): Promise<void> => refused(p, status.PERMISSION_DENIED, 'TA_ERR_PERMISSION_DENIED', words);
    const invalid = (p: string): Promise<void> => refused(p, status.INVALID_ARGUMENT, 'TA_ERR_INVALID_ARGUMENT', /^path: .*control character/);
    await denied('../../../etc/passwd');
    await denied('onnx/../../karpathy--stories260K/config.json');
    await denied('/etc/passwd');
    await denied(join(modelDir, 'config.json'));
    await denied('onnx\\..\\..\\config.json');
    await denied('%2e%2e%2f%2e%2e%2fetc%2fpasswd', /^path: .*outside the model once URL-decoded/);
    await denied('onnx%2F..%2F..%2Fconfig.json', /^path: .*outside the model once URL-decoded/);
    await denied('%2Fetc%2Fpasswd', /^path: .*outside the model once URL-decoded/);
    await invalid('config.json\0../../etc/passwd');
    await invalid('\0');
    await invalid('config.json%00');
  });

  it('refuses a file of the folder that was never issued, and an unknown model', async () => {
    await refused('stories260K.bin', status.PERMISSION_DENIED, 'TA_ERR_PERMISSION_DENIED', /^path: .*was not issued/);
    await refused('config.json', status.PERMISSION_DENIED, 'TA_ERR_PERMISSION_DENIED', /was not issued/, 'mediapipe/face-mesh');
    await refused('config.json', status.INVALID_ARGUMENT, 'TA_ERR_INVALID_ARGUMENT', /^model: /, `${STORIES}\0`);
  });

  it('refuses an issued file replaced by a symlink out of the cache, or under a symlinked folder', async () => {
    rmSync(join(modelDir, 'tokenizer_config.json'));
    symlinkSync(join(outside, 'tokenizer_config.json'), join(modelDir, 'tokenizer_config.json'));
    await refused('tokenizer_config.json', status.PERMISSION_DENIED, 'TA_ERR_PERMISSION_DENIED', /symlink/);
    rmSync(join(modelDir, 'onnx'), { recursive: true });
    symlinkSync(join(outside, 'onnx'), join(modelDir, 'onnx'));
    await refused('onnx/model.onnx', status.PERMISSION_DENIED, 'TA_ERR_PERMISSION_DENIED', /symlink|outside/);
  });

  it('answers NOT_FOUND for an issued file missing from the cache', async () => {
    rmSync(join(modelDir, 'generation_config.json'));
    await refused('generation_config.json', status.NOT_FOUND, 'TA_ERR_MODEL_NOT_FOUND', /missing from the cache/);
  });

  it('keeps serving: the same greedy tokens, no ML service restart, both SERVING', async () => {
    assert.ok(server && ml);
    assert.deepEqual(await generate(c, 8), golden);
    await waitServing(server.address, 'tabagent.ml', 5_000);
    await waitServing(server.address, '', 5_000);
    assert.equal(ml.proc.exitCode, null);
    assert.equal(server.logs.filter((l) => /ML service stopped serving|ML child exited/.test(l)).length, 0);
    assert.ok((await fetch('config.json'))[0]!.totalSize > 0, 'ModelFiles still serves');
  });
});
