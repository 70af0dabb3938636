// End-to-end: disk faults during a pull, on a real file system. The model cache is a small tmpfs
// mounted for the test (the test runs as root, as CI does; it fails, not skips, when it cannot
// mount). A pull that fills the disk fails with RESOURCE_EXHAUSTED / TA_ERR_CACHE_FULL naming the
// path and leaves nothing of the model behind; with room again the same pull fetches a file whose
// sha256 matches. On the cache remounted read-only a pull fails with FAILED_PRECONDITION /
// TA_ERR_CACHE_READ_ONLY naming the path. Through all of it a loaded model keeps answering.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { status, type ClientReadableStream } from '@grpc/grpc-js';
import { ERROR_CODE_KEY } from '@tabagent/common';
import { PullStage, type PullProgress } from '@tabagent/protos/v1/model_management';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { sharedTestCache, startServer, tempDir, type ServerUnderTest } from '../support/server-process.js';
import { encodedFrame, vision } from './vision-helpers.js';

const FACES = 'mediapipe/face-detection-short';
const BIG = 'test/disk-big';
const SMALL = 'test/disk-small';
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function collect(stream: ClientReadableStream<PullProgress>): Promise<PullProgress[]> {
  const out: PullProgress[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (p: PullProgress) => out.push(p));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}

const mount = (...args: string[]): void => void execFileSync('mount', args, { stdio: 'pipe' });

describe('disk faults in the model cache during a pull', () => {
  let cache = '';
  let server: ServerUnderTest | undefined;
  let c: PublicClients;
  let big: Buffer;
  let mounted = false;

  const pull = (model: string): Promise<PullProgress[]> => collect(c.models.pullModel({ model, force: false }));
  const facesStillServed = async (): Promise<void> => {
    const res = await vision(c, 'detectFaces', { model: FACES, frame: encodedFrame('portrait.jpg') });
    assert.equal(res.faces.length, 1, 'the loaded model keeps answering');
  };

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'this test mounts a tmpfs: run it as root (CI does)');
    const work = tempDir('tabagent-disk-');
    cache = join(work, 'cache');
    mkdirSync(cache);
    mount('-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', cache);
    mounted = true;
    const [faces] = readdirSync(sharedTestCache()).filter((d) => d === FACES.replace('/', '--'));
    assert.ok(faces, `${FACES} is in the test cache`);
    cpSync(join(sharedTestCache(), faces), join(cache, faces), { recursive: true });
    const src = join(work, 'src');
    mkdirSync(src);
    big = randomBytes(4 << 20);
    writeFileSync(join(src, 'big.bin'), big);
    writeFileSync(join(src, 'small.bin'), 'small');
    const entry = (id: string, file: string, data: Buffer | string): object => ({
      id, source: `file:${src}`, task: 'embeddings', runtime: 'onnxruntime', files: [{ path: file, size: Buffer.byteLength(data), sha256: sha(Buffer.from(data)) }],
    });
    const catalog = join(work, 'catalog.json');
    writeFileSync(catalog, JSON.stringify({ models: [entry(BIG, 'big.bin', big), entry(SMALL, 'small.bin', 'small')] }));
    server = await startServer({ args: ['--cache-dir', cache, '--catalog', catalog, '--no-http', '--keep-alive', '-1'] });
    c = connect(server.address);
    await call(c.models, c.models.loadModel, { model: FACES, options: { devices: [], threads: 0, keepAliveSeconds: -1 } }, { timeoutMs: 120_000 });
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
    if (mounted) execFileSync('umount', ['-l', cache]);
  });

  it('a full disk: RESOURCE_EXHAUSTED naming the path, nothing left behind, the loaded model serves', async () => {
    const err = await expectGrpcError(pull(BIG));
    assert.equal(err.code, status.RESOURCE_EXHAUSTED, `${status[err.code]} ${err.details}`);
    assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_CACHE_FULL');
    assert.match(err.details, /no space left/);
    assert.ok(err.details.includes(join(cache, 'test--disk-big')), `"${err.details}" names the path`);
    assert.equal(existsSync(join(cache, 'test--disk-big')), false, 'the failed first pull left no file of the model');
    await facesStillServed();
  });

  it('with room again, the same pull fetches the file whole and verified', async () => {
    mount('-o', 'remount,size=16m', cache);
    const events = await pull(BIG);
    assert.equal(events.at(-1)?.stage, PullStage.PULL_STAGE_DONE);
    const [rev] = readdirSync(join(cache, 'test--disk-big')).filter((d) => !d.startsWith('.'));
    assert.ok(rev);
    assert.equal(sha(readFileSync(join(cache, 'test--disk-big', rev, 'big.bin'))), sha(big));
    assert.deepEqual(readdirSync(join(cache, 'test--disk-big', rev)).filter((f) => f.endsWith('.partial') || f.endsWith('.tmp')), []);
  });

  it('a read-only cache: FAILED_PRECONDITION naming the path, the loaded model serves', async () => {
    mount('-o', 'remount,ro', cache);
    try {
      const err = await expectGrpcError(pull(SMALL));
      assert.equal(err.code, status.FAILED_PRECONDITION, `${status[err.code]} ${err.details}`);
      assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_CACHE_READ_ONLY');
      assert.ok(err.details.includes(cache), `"${err.details}" names the path`);
      await facesStillServed();
    } finally {
      mount('-o', 'remount,rw', cache);
    }
    assert.equal((await pull(SMALL)).at(-1)?.stage, PullStage.PULL_STAGE_DONE, 'writable again, the pull succeeds');
  });
});
