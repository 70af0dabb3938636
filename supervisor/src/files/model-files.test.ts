// ModelFiles security and streaming, end to end inside the supervisor: the real internal link (unix
// socket in a private folder), the real service, and a real ModelStore over a `file:` catalog entry
// in a temp folder. Secrets, issued manifests, path escapes (.., absolute, symlinks), chunking,
// URL-encoded escapes, NUL and control characters, first-chunk size + sha256, resuming from an
// offset, and socket/folder permissions.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, SECRET_KEY, grpcChannelOptions } from '@tabagent/common';
import { ModelFilesClient, type FileChunk } from '@tabagent/protos/v1/model_files';
import { Catalog } from '../store/catalog.js';
import { ModelStore } from '../store/store.js';
import { tempDir } from '../store/test-support/env.js';
import { bytes } from '../store/test-support/fixtures.js';
import { startInternalLink, type InternalLink } from './internal-server.js';
import { IssuedFiles } from './issued-files.js';
import { MAX_CHUNK_BYTES, modelFilesService } from './model-files-service.js';

const MODEL = 'test/files';
const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const BIG = 2 * MAX_CHUNK_BYTES + 512 * 1024 + 123;
const FILES = {
  'weights.bin': bytes(BIG, 7),
  'config.json': Buffer.from('{"hidden":8}'),
  'not-issued.bin': bytes(1000, 8),
  'linked.bin': bytes(2000, 9),
  'dir/inner.bin': bytes(3000, 10),
} as const;
type FileName = keyof typeof FILES;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Collects a GetModelFile stream; rejects with the ServiceError. */
function fetchChunks(client: ModelFilesClient, req: { model: string; path: string; offset?: number }, secret?: string): Promise<FileChunk[]> {
  const meta = new Metadata();
  if (secret !== undefined) meta.set(SECRET_KEY, secret);
  return new Promise((resolve, reject) => {
    const out: FileChunk[] = [];
    const call = client.getModelFile({ model: req.model, path: req.path, offset: req.offset ?? 0 }, meta, { deadline: Date.now() + 20_000 });
    call.on('data', (c: FileChunk) => out.push(c));
    call.on('error', reject);
    call.on('end', () => resolve(out));
  });
}

async function expectStatus(p: Promise<unknown>, code: status, errorCode: string): Promise<ServiceError> {
  const err = await p.then(() => undefined, (e: unknown) => e as ServiceError);
  assert.ok(err, `expected ${status[code]}, the call succeeded`);
  assert.equal(err.code, code, `got ${status[err.code]}: ${err.details}`);
  assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], errorCode);
  return err;
}

describe('ModelFiles on the internal link', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let store: ModelStore;
  let link: InternalLink;
  let client: ModelFilesClient;
  let cacheDir = '';
  const issued = new IssuedFiles();
  const secrets: string[] = [SECRET];

  before(async () => {
    tmp = await tempDir('model-files');
    const src = join(tmp.dir, 'source');
    for (const [path, data] of Object.entries(FILES)) {
      await mkdir(join(src, path, '..'), { recursive: true });
      await writeFile(join(src, path), data);
    }
    // what the symlinks point at: same sizes, outside the cache
    await mkdir(join(tmp.dir, 'outside', 'dir'), { recursive: true });
    await writeFile(join(tmp.dir, 'outside', 'linked.bin'), Buffer.alloc(FILES['linked.bin'].length, 1));
    await writeFile(join(tmp.dir, 'outside', 'dir', 'inner.bin'), Buffer.alloc(FILES['dir/inner.bin'].length, 2));
    const catalog = new Catalog([{
      id: MODEL, source: `file:${src}`, task: 'embeddings', runtime: 'onnxruntime',
      files: Object.entries(FILES).map(([path, data]) => ({ path, size: data.length, sha256: sha(data) })),
    }]);
    store = new ModelStore({ catalog, cacheRoot: join(tmp.dir, 'cache') });
    cacheDir = (await store.pull(MODEL)).dir;
    issued.issue(MODEL, (Object.keys(FILES) as FileName[]).filter((p) => p !== 'not-issued.bin'));
    link = await startInternalLink(modelFilesService(store, issued, () => secrets));
    client = new ModelFilesClient(link.filesEndpoint, credentials.createInsecure(), grpcChannelOptions());
  });

  after(async () => {
    client?.close();
    await link?.close();
    store?.close();
    await tmp?.cleanup();
  });

  it('binds a 0600 socket inside a 0700 folder', async () => {
    assert.match(link.filesEndpoint, /^unix:\//);
    const sock = link.filesEndpoint.slice('unix:'.length);
    assert.equal(join(sock, '..'), link.dir);
    assert.equal((await stat(link.dir)).mode & 0o777, 0o700);
    const st = await stat(sock);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o600);
    assert.equal(join(link.childAddress(3).slice('unix:'.length), '..'), link.dir);
  });

  it('streams an issued file in chunks of at most 1 MiB, size and sha256 on the first chunk only', async () => {
    const data = FILES['weights.bin'];
    const chunks = await fetchChunks(client, { model: MODEL, path: 'weights.bin' }, SECRET);
    assert.equal(chunks.length, 3);
    assert.equal(chunks[0]!.totalSize, BIG);
    assert.equal(chunks[0]!.sha256, sha(data));
    let offset = 0;
    for (const [i, c] of chunks.entries()) {
      assert.ok(c.data.length <= MAX_CHUNK_BYTES, `chunk ${i} has ${c.data.length} bytes`);
      assert.equal(c.offset, offset);
      if (i > 0) assert.deepEqual([c.totalSize, c.sha256], [0, '']);
      offset += c.data.length;
    }
    assert.equal(offset, BIG);
    assert.equal(sha(Buffer.concat(chunks.map((c) => c.data))), sha(data));
  });

  it('resumes from an offset', async () => {
    const data = FILES['weights.bin'];
    const from = MAX_CHUNK_BYTES + 777;
    const chunks = await fetchChunks(client, { model: MODEL, path: 'weights.bin', offset: from }, SECRET);
    assert.equal(chunks[0]!.offset, from);
    assert.equal(chunks[0]!.totalSize, BIG);
    assert.equal(chunks[0]!.sha256, sha(data));
    assert.deepEqual(Buffer.concat(chunks.map((c) => c.data)), data.subarray(from));
    const atEnd = await fetchChunks(client, { model: MODEL, path: 'weights.bin', offset: BIG }, SECRET);
    assert.equal(atEnd.length, 1);
    assert.deepEqual([atEnd[0]!.offset, atEnd[0]!.data.length, atEnd[0]!.totalSize], [BIG, 0, BIG]);
    await expectStatus(fetchChunks(client, { model: MODEL, path: 'weights.bin', offset: BIG + 1 }, SECRET),
      status.INVALID_ARGUMENT, 'TA_ERR_INVALID_ARGUMENT');
  });

  it('refuses a missing, wrong or revoked secret with UNAUTHENTICATED', async () => {
    const req = { model: MODEL, path: 'config.json' };
    await expectStatus(fetchChunks(client, req), status.UNAUTHENTICATED, 'TA_ERR_UNAUTHENTICATED');
    await expectStatus(fetchChunks(client, req, `${SECRET.slice(0, -1)}1`), status.UNAUTHENTICATED, 'TA_ERR_UNAUTHENTICATED');
    await expectStatus(fetchChunks(client, req, ''), status.UNAUTHENTICATED, 'TA_ERR_UNAUTHENTICATED');
    // during a restart two children's secrets are live; the old one stops working once dropped
    secrets.push('second-child-secret');
    assert.equal((await fetchChunks(client, req, 'second-child-secret'))[0]!.totalSize, FILES['config.json'].length);
    secrets.splice(0, secrets.length, 'second-child-secret');
    await expectStatus(fetchChunks(client, req, SECRET), status.UNAUTHENTICATED, 'TA_ERR_UNAUTHENTICATED');
    // no live child (or an empty secret in the list) authenticates nobody
    secrets.splice(0, secrets.length, '');
    await expectStatus(fetchChunks(client, req), status.UNAUTHENTICATED, 'TA_ERR_UNAUTHENTICATED');
    await expectStatus(fetchChunks(client, req, ''), status.UNAUTHENTICATED, 'TA_ERR_UNAUTHENTICATED');
    secrets.splice(0, secrets.length, SECRET);
  });

  it('refuses files outside the issued manifest with PERMISSION_DENIED', async () => {
    const denied = (model: string, path: string): Promise<ServiceError> =>
      expectStatus(fetchChunks(client, { model, path }, SECRET), status.PERMISSION_DENIED, 'TA_ERR_PERMISSION_DENIED');
    // in the cache, but not in the manifest handed to the child
    assert.ok(existsSync(join(cacheDir, 'not-issued.bin')));
    await denied(MODEL, 'not-issued.bin');
    await denied('other/model', 'weights.bin');
    issued.revoke(MODEL);
    await denied(MODEL, 'weights.bin');
    issued.issue(MODEL, (Object.keys(FILES) as FileName[]).filter((p) => p !== 'not-issued.bin'));
    assert.equal((await fetchChunks(client, { model: MODEL, path: 'config.json' }, SECRET)).length, 1);
  });

  it('refuses .. and absolute paths with PERMISSION_DENIED', async () => {
    for (const path of ['../cache/test--files/weights.bin', 'dir/../weights.bin', '..', '/etc/passwd', join(cacheDir, 'weights.bin'), 'dir\\..\\weights.bin']) {
      const err = await expectStatus(fetchChunks(client, { model: MODEL, path }, SECRET), status.PERMISSION_DENIED, 'TA_ERR_PERMISSION_DENIED');
      assert.match(err.details, /outside the model|not issued/, path);
    }
  });

  it('refuses URL-encoded escapes with PERMISSION_DENIED and NUL or control characters with INVALID_ARGUMENT, naming path', async () => {
    const cases: Array<[string, status, string]> = [
      ['%2e%2e%2fcache%2fweights.bin', status.PERMISSION_DENIED, 'once URL-decoded'],
      ['%2E%2E/weights.bin', status.PERMISSION_DENIED, 'once URL-decoded'],
      ['dir%2f..%2fweights.bin', status.PERMISSION_DENIED, 'once URL-decoded'],
      ['%2fetc%2fpasswd', status.PERMISSION_DENIED, 'once URL-decoded'],
      ['..%5cweights.bin', status.PERMISSION_DENIED, 'once URL-decoded'],
      ['C:\\Windows\\win.ini', status.PERMISSION_DENIED, 'outside the model'],
      ['weights.bin\0.txt', status.INVALID_ARGUMENT, 'control character'],
      ['\0', status.INVALID_ARGUMENT, 'control character'],
      ['weights.bin%00', status.INVALID_ARGUMENT, 'control character once URL-decoded'],
      ['dir/inner.bin\n', status.INVALID_ARGUMENT, 'control character'],
      // percent signs that decode to nothing dangerous are only not in the manifest
      ['weights%2ebin', status.PERMISSION_DENIED, 'not issued'],
      ['100%', status.PERMISSION_DENIED, 'not issued'],
    ];
    for (const [path, code, words] of cases) {
      const err = await expectStatus(fetchChunks(client, { model: MODEL, path }, SECRET), code,
        code === status.INVALID_ARGUMENT ? 'TA_ERR_INVALID_ARGUMENT' : 'TA_ERR_PERMISSION_DENIED');
      assert.match(err.details, /^path: /, JSON.stringify(path));
      assert.ok(err.details.includes(words), `${JSON.stringify(path)}: "${err.details}" says "${words}"`);
    }
    const model = await expectStatus(fetchChunks(client, { model: `${MODEL}\0`, path: 'config.json' }, SECRET), status.INVALID_ARGUMENT, 'TA_ERR_INVALID_ARGUMENT');
    assert.match(model.details, /^model: /);
    // the service is still serving
    assert.equal((await fetchChunks(client, { model: MODEL, path: 'config.json' }, SECRET))[0]!.totalSize, FILES['config.json'].length);
  });

  it('refuses a symlinked file or folder leading out of the cache with PERMISSION_DENIED', async () => {
    await rm(join(cacheDir, 'linked.bin'));
    await symlink(join(tmp.dir, 'outside', 'linked.bin'), join(cacheDir, 'linked.bin'));
    const file = await expectStatus(fetchChunks(client, { model: MODEL, path: 'linked.bin' }, SECRET), status.PERMISSION_DENIED, 'TA_ERR_PERMISSION_DENIED');
    assert.match(file.details, /symlink/);
    await rm(join(cacheDir, 'dir'), { recursive: true });
    await symlink(join(tmp.dir, 'outside', 'dir'), join(cacheDir, 'dir'));
    const dir = await expectStatus(fetchChunks(client, { model: MODEL, path: 'dir/inner.bin' }, SECRET), status.PERMISSION_DENIED, 'TA_ERR_PERMISSION_DENIED');
    assert.match(dir.details, /symlink|outside/);
  });

  it('answers INVALID_ARGUMENT for an empty model or path, before touching the store', async () => {
    await expectStatus(fetchChunks(client, { model: '', path: 'config.json' }, SECRET), status.INVALID_ARGUMENT, 'TA_ERR_INVALID_ARGUMENT');
    await expectStatus(fetchChunks(client, { model: MODEL, path: '' }, SECRET), status.INVALID_ARGUMENT, 'TA_ERR_INVALID_ARGUMENT');
  });

  it('removes the socket folder on close', async () => {
    const tmpLink = await startInternalLink(modelFilesService(store, issued, () => secrets));
    assert.ok(existsSync(tmpLink.dir));
    await tmpLink.close();
    assert.equal(existsSync(tmpLink.dir), false);
  });
});
