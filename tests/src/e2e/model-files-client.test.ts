// The child's ModelFilesClient against the supervisor's real ModelFiles service: whole-file reads
// with progress, and a connection cut mid-file that is resumed from the last offset (the sha256,
// computed while the chunks arrive, still covers every byte exactly once).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ModelFilesClient } from '../../../ml-service/dist/files/model-files-client.js';
import { startInternalLink, type InternalLink } from '../../../supervisor/dist/files/internal-server.js';
import { IssuedFiles } from '../../../supervisor/dist/files/issued-files.js';
import { modelFilesService } from '../../../supervisor/dist/files/model-files-service.js';
import { Catalog } from '../../../supervisor/dist/store/catalog.js';
import { ModelStore } from '../../../supervisor/dist/store/store.js';

const MODEL = 'test/resume';
const SIZE = 5 * (1 << 20) + 4321;
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A unix-socket proxy to `target` that cuts its first connection after `cutAfter` bytes from the server. */
async function cuttingProxy(path: string, target: string, cutAfter: number): Promise<{ server: Server; connections: () => number }> {
  let connections = 0;
  const server = createServer((client: Socket) => {
    const n = ++connections;
    const upstream = createConnection(target);
    let passed = 0;
    upstream.on('data', (buf: Buffer) => {
      passed += buf.length;
      if (n === 1 && passed > cutAfter) {
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(buf);
    });
    client.on('data', (buf: Buffer) => upstream.write(buf));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { server, connections: () => connections };
}

describe('ModelFilesClient over the internal link', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tabagent-files-client-'));
  const data = randomBytes(SIZE);
  const secret = randomBytes(16).toString('hex');
  let store: ModelStore;
  let link: InternalLink;

  before(async () => {
    await mkdir(join(dir, 'source'), { recursive: true });
    await writeFile(join(dir, 'source', 'weights.bin'), data);
    store = new ModelStore({
      cacheRoot: join(dir, 'cache'),
      catalog: new Catalog([{
        id: MODEL, source: `file:${join(dir, 'source')}`, task: 'embeddings', runtime: 'onnxruntime',
        files: [{ path: 'weights.bin', size: SIZE, sha256: sha(data) }],
      }]),
    });
    await store.pull(MODEL);
    const issued = new IssuedFiles();
    issued.issue(MODEL, ['weights.bin']);
    link = await startInternalLink(modelFilesService(store, issued, () => [secret]));
  });

  after(async () => {
    await link?.close();
    store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a whole file, reporting progress up to its size', async () => {
    const client = new ModelFilesClient(link.filesEndpoint, secret);
    const progress: number[] = [];
    try {
      const got = await client.readFile(MODEL, 'weights.bin', sha(data), (done, total) => {
        assert.equal(total, SIZE);
        progress.push(done);
      });
      assert.equal(got.length, SIZE);
      assert.equal(sha(got), sha(data));
      assert.equal(progress.length, 6);
      assert.equal(progress.at(-1), SIZE);
      assert.ok(progress.every((p, i) => i === 0 || p > progress[i - 1]!));
    } finally {
      client.close();
    }
  });

  it('resumes from the last offset after the connection is cut mid-file', async () => {
    const proxyPath = join(dir, 'proxy.sock');
    const proxy = await cuttingProxy(proxyPath, link.filesEndpoint.slice('unix:'.length), 2 * (1 << 20) + 100_000);
    const client = new ModelFilesClient(`unix:${proxyPath}`, secret);
    const starts: number[] = [];
    try {
      const got = await client.readFile(MODEL, 'weights.bin', sha(data), (done) => {
        if (starts.length === 0 || done < starts.at(-1)!) starts.push(done);
      });
      assert.equal(got.length, SIZE);
      assert.deepEqual(Buffer.from(got), data);
      assert.equal(proxy.connections(), 2, 'the cut connection was replaced once');
      assert.equal(starts.length, 1, 'progress never went backwards: nothing was fetched twice');
    } finally {
      client.close();
      await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
    }
  });
});
