// The ML child reading model files over the internal link: a real child process (the ml-service CLI)
// loads a small ONNX model through the supervisor's real ModelFiles service and store. A served file
// whose bytes differ from its manifest sha256 fails the load with DATA_LOSS, and so does a manifest
// that pins a different sha256; a file outside the issued manifest is PERMISSION_DENIED.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, SECRET_KEY, grpcLinkChannelOptions } from '@tabagent/common';
import { GraphBuilder, OnnxType } from '@tabagent/converters/onnx';
import { RuntimeClient, type ModelManifest, type RuntimeLoadResponse, type RuntimeStatusResponse } from '@tabagent/protos/v1/runtime';
import { startInternalLink, type InternalLink } from '../../../supervisor/dist/files/internal-server.js';
import { IssuedFiles } from '../../../supervisor/dist/files/issued-files.js';
import { modelFilesService } from '../../../supervisor/dist/files/model-files-service.js';
import { Catalog } from '../../../supervisor/dist/store/catalog.js';
import { ModelStore } from '../../../supervisor/dist/store/store.js';
import { repoRoot } from '../support/paths.js';

const OUT = 70_000;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** y = x · W with W [4, OUT]: about 1.1 MB, so it crosses a 1 MiB chunk boundary. */
function tinyOnnx(): Uint8Array {
  const g = new GraphBuilder();
  const x = g.input('x', OnnxType.FLOAT, [1, 4]);
  const w = g.floats('w', Float32Array.from({ length: 4 * OUT }, (_, i) => (i % 97) / 97), [4, OUT]);
  g.output('y', OnnxType.FLOAT, [1, OUT]);
  g.rename(g.op('MatMul', [x, w]), 'y');
  return g.encode({ graphName: 'tiny', opset: 13, producerName: 'tabagent-test', producerVersion: '1' });
}

function manifest(model: string, size: number, sha256: string): ModelManifest {
  return {
    model, task: 'embeddings', runtime: 'onnxruntime', files: [{ path: 'model.onnx', size, sha256 }],
    options: { devices: [], threads: 1, keepAliveSeconds: 0 }, paramsJson: '{}',
  };
}

describe('ML child loading model files over the internal link', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tabagent-files-child-'));
  const secret = randomBytes(16).toString('hex');
  const onnx = tinyOnnx();
  const issued = new IssuedFiles();
  let store: ModelStore;
  let link: InternalLink;
  let child: ChildProcess;
  let runtime: RuntimeClient;

  const meta = (): Metadata => {
    const m = new Metadata();
    m.set(SECRET_KEY, secret);
    return m;
  };
  const load = (m: ModelManifest): Promise<RuntimeLoadResponse> => new Promise((resolve, reject) => {
    runtime.loadModel({ manifest: m }, meta(), { deadline: Date.now() + 30_000 }, (err, res) => (err ? reject(err) : resolve(res)));
  });
  const childStatus = (): Promise<RuntimeStatusResponse> => new Promise((resolve, reject) => {
    runtime.status({}, meta(), { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve(res)));
  });
  const loadError = async (m: ModelManifest): Promise<ServiceError> => {
    const err = await load(m).then(() => undefined, (e: unknown) => e as ServiceError);
    assert.ok(err, `loading ${m.model} succeeded`);
    return err;
  };

  before(async () => {
    const src = join(dir, 'source');
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'model.onnx'), onnx);
    const files = [{ path: 'model.onnx', size: onnx.length, sha256: sha(onnx) }];
    const entry = (id: string): object => ({ id, source: `file:${src}`, task: 'embeddings', runtime: 'onnxruntime', files });
    store = new ModelStore({
      cacheRoot: join(dir, 'cache'),
      catalog: new Catalog([entry('test/tiny'), entry('test/tiny-corrupt'), entry('test/tiny-pinned')]),
    });
    await store.pull('test/tiny');
    await store.pull('test/tiny-pinned');
    // flip one byte inside the weights of the cached copy: same size, different sha256
    const cached = join((await store.pull('test/tiny-corrupt')).dir, 'model.onnx');
    const fh = await open(cached, 'r+');
    const at = onnx.length - 1000;
    await fh.write(Buffer.from([onnx[at]! ^ 0xff]), 0, 1, at);
    await fh.close();
    for (const id of ['test/tiny', 'test/tiny-corrupt', 'test/tiny-pinned']) issued.issue(id, ['model.onnx']);
    link = await startInternalLink(modelFilesService(store, issued, () => [secret]));

    child = spawn(process.execPath, [
      join(repoRoot, 'ml-service', 'dist', 'cli.js'), '--listen', `unix:${join(dir, 'ml.sock')}`,
      '--files-endpoint', link.filesEndpoint, '--secret-stdin', '--exit-on-stdin-end', '--log-level', 'warn', '--threads', '1',
    ], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdin!.write(`${secret}\n`);
    const lines = createInterface({ input: child.stdout! });
    const [line] = (await Promise.race([
      once(lines, 'line'),
      once(child, 'exit').then(([code]) => { throw new Error(`the ML child exited with ${String(code)} before listening`); }),
    ])) as [string];
    const hello = JSON.parse(line) as { event: string; address: string };
    assert.equal(hello.event, 'listening');
    runtime = new RuntimeClient(hello.address, credentials.createInsecure(), grpcLinkChannelOptions());
  });

  after(async () => {
    runtime?.close();
    if (child && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
    }
    await link?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads an intact model whose files stream in more than one chunk', async () => {
    assert.ok(onnx.length > 1 << 20, `model is ${onnx.length} bytes`);
    const res = await load(manifest('test/tiny', onnx.length, sha(onnx)));
    assert.equal(res.model, 'test/tiny');
    assert.equal(res.executionProvider, 'cpu');
    assert.deepEqual((await childStatus()).models.map((m) => m.model), ['test/tiny']);
  });

  it('fails the load with DATA_LOSS when the served bytes differ from the manifest sha256', async () => {
    const err = await loadError(manifest('test/tiny-corrupt', onnx.length, sha(onnx)));
    assert.equal(err.code, status.DATA_LOSS, `${status[err.code]}: ${err.details}`);
    assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_DATA_LOSS');
    assert.match(err.details, /sha256 [0-9a-f]{64} does not match/);
    assert.equal((await childStatus()).models.some((m) => m.model === 'test/tiny-corrupt'), false);
  });

  it('fails the load with DATA_LOSS when the manifest pins a different sha256 than the one served', async () => {
    const err = await loadError(manifest('test/tiny-pinned', onnx.length, sha(Buffer.from('something else'))));
    assert.equal(err.code, status.DATA_LOSS, `${status[err.code]}: ${err.details}`);
    assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_DATA_LOSS');
  });

  it('fails the load with PERMISSION_DENIED for a file outside the issued manifest', async () => {
    // the supervisor issued only model.onnx for this model; the child asks for another file
    const m = manifest('test/tiny-pinned', onnx.length, sha(onnx));
    m.files = [{ path: 'other.onnx', size: 10, sha256: '' }];
    const err = await loadError(m);
    assert.equal(err.code, status.PERMISSION_DENIED, `${status[err.code]}: ${err.details}`);
    assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_PERMISSION_DENIED');
  });
});
