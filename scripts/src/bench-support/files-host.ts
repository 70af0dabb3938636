// The supervisor side of the model-file benchmarks: a big file registered as a `file:` catalog
// model, pulled into a private ModelStore cache, issued, and served by the real ModelFiles service
// on the real internal link (unix socket, per-spawn secret).
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { startInternalLink, type InternalLink } from '../../../supervisor/dist/files/internal-server.js';
import { IssuedFiles } from '../../../supervisor/dist/files/issued-files.js';
import { modelFilesService } from '../../../supervisor/dist/files/model-files-service.js';
import { Catalog } from '../../../supervisor/dist/store/catalog.js';
import { hashFile } from '../../../supervisor/dist/store/core/hash.js';
import { ModelStore } from '../../../supervisor/dist/store/store.js';

/** Model id of the benchmark file. */
export const BENCH_MODEL = 'bench/big-file';
/** Path of the benchmark file inside the model. */
export const BENCH_FILE = 'weights.bin';

/** A served benchmark file. */
export interface FilesHost {
  readonly endpoint: string;
  readonly secret: string;
  readonly size: number;
  readonly sha256: string;
  /** Absolute path of the cached copy (what a plain local read reads). */
  readonly cachedPath: string;
  close(): Promise<void>;
}

/** Writes `size` random bytes to `path` unless a file of that size is already there. */
async function ensureSourceFile(path: string, size: number): Promise<void> {
  if (existsSync(path) && statSync(path).size === size) return;
  const out = createWriteStream(path);
  for (let done = 0; done < size;) {
    const n = Math.min(1 << 22, size - done);
    if (!out.write(randomBytes(n))) await once(out, 'drain');
    done += n;
  }
  out.end();
  await once(out, 'finish');
}

/** Prepares a `size`-byte model under `work` and serves it on a fresh internal link. */
export async function startFilesHost(work: string, size: number): Promise<FilesHost> {
  const src = join(work, 'source');
  await mkdir(src, { recursive: true });
  await ensureSourceFile(join(src, BENCH_FILE), size);
  const { sha256 } = await hashFile(join(src, BENCH_FILE));
  const catalog = new Catalog([{
    id: BENCH_MODEL, source: `file:${src}`, task: 'embeddings', runtime: 'onnxruntime',
    files: [{ path: BENCH_FILE, size, sha256 }],
  }]);
  const store = new ModelStore({ catalog, cacheRoot: join(work, 'cache') });
  const manifest = await store.pull(BENCH_MODEL);
  const issued = new IssuedFiles();
  issued.issue(BENCH_MODEL, [BENCH_FILE]);
  const secret = randomBytes(24).toString('hex');
  const link: InternalLink = await startInternalLink(modelFilesService(store, issued, () => [secret]));
  return {
    endpoint: link.filesEndpoint, secret, size, sha256,
    cachedPath: join(manifest.dir, BENCH_FILE),
    close: async () => {
      await link.close();
      store.close();
    },
  };
}
