// Routes every file transformers.js asks for through per-load readFile callbacks; the only place that touches its global env.

import { randomUUID } from 'node:crypto';
import { env } from '@huggingface/transformers';

/** Reads one file of a model folder by its relative path (e.g. `onnx/model.onnx`). */
export type ReadFile = (path: string) => Promise<Uint8Array>;

/** A reserved, never-resolving host: files are served from memory, never from a network. */
const HOST = 'http://model-files.invalid/';
const NAMESPACE = 'tabagent';

const NOT_FOUND_CODES = new Set(['ENOENT', 'NOT_FOUND', 'STORE_NOT_FOUND']);

/** True when a readFile rejection means "no such file" (optional files such as generation_config.json). */
export function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown } | null;
  return typeof e?.code === 'string' ? NOT_FOUND_CODES.has(e.code) : e?.code === 5; // 5 = gRPC NOT_FOUND
}

/**
 * Serves registered model folders to transformers.js. Installed as its custom cache (so ONNX files
 * arrive as bytes, never as disk paths) and as its fetch (so optional files answer 404, not a network call).
 */
class FileRouter {
  private readonly folders = new Map<string, { readFile: ReadFile; memo: Map<string, Promise<Uint8Array | undefined>> }>();

  /** Registers a folder; returns the model id to pass to from_pretrained and a release function. */
  register(readFile: ReadFile): { modelId: string; release: () => void } {
    const key = `m${randomUUID().replaceAll('-', '')}`;
    this.folders.set(key, { readFile, memo: new Map() });
    return { modelId: `${NAMESPACE}/${key}`, release: () => this.folders.delete(key) };
  }

  /** Cache lookup: a Response with the file's bytes, or undefined when it is missing. */
  async match(request: string): Promise<Response | undefined> {
    const bytes = await this.read(request);
    return bytes ? new Response(bytes, { status: 200, headers: { 'content-length': String(bytes.byteLength) } }) : undefined;
  }

  /** Never stores anything: files stay with their owner. */
  async put(): Promise<void> {}

  readonly fetch = async (input: string | URL): Promise<Response> => {
    const bytes = await this.read(String(input));
    return bytes ? new Response(bytes, { status: 200 }) : new Response(null, { status: 404, statusText: 'Not Found' });
  };

  private read(url: string): Promise<Uint8Array | undefined> {
    if (!url.startsWith(HOST)) return Promise.resolve(undefined);
    const [namespace, key, ...rest] = url.slice(HOST.length).split('/');
    const folder = namespace === NAMESPACE && key ? this.folders.get(key) : undefined;
    const path = rest.filter((p) => p !== '').join('/');
    if (!folder || path === '') return Promise.resolve(undefined);
    let pending = folder.memo.get(path);
    if (!pending) {
      pending = folder.readFile(path).then(
        (bytes) => bytes,
        (err: unknown) => {
          if (isNotFound(err)) return undefined;
          throw err;
        },
      );
      folder.memo.set(path, pending);
    }
    return pending;
  }
}

/**
 * Returns the router installed in transformers.js's env, installing it on first use. Local files,
 * file-system and browser caches are turned off, so a file can only come from a registered callback.
 */
export function fileRouter(): Pick<FileRouter, 'register'> {
  if (env.customCache instanceof FileRouter) return env.customCache;
  const router = new FileRouter();
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.remoteHost = HOST;
  env.remotePathTemplate = '{model}/';
  env.useCustomCache = true;
  env.customCache = router;
  env.fetch = router.fetch;
  return router;
}
