// ModelFiles.GetModelFile on the internal link: streams a file of an issued manifest to a child
// that presents the per-spawn secret, in chunks of at most 1 MiB, the first carrying size + sha256.
import type { ServerWritableStream } from '@grpc/grpc-js';
import { TabagentError, checkSecret, invalidArgument, serverStream } from '@tabagent/common';
import type { FileChunk, GetModelFileRequest, ModelFilesServer } from '@tabagent/protos/v1/model_files';
import type { ModelStore, OpenedFile } from '../store/store.js';
import type { IssuedFiles } from './issued-files.js';

/** Largest chunk sent. */
export const MAX_CHUNK_BYTES = 1 << 20;

/** Builds the ModelFiles service; `secret()` returns the secret of the current child. */
export function modelFilesService(store: ModelStore, issued: IssuedFiles, secret: () => string[]): ModelFilesServer {
  return {
    getModelFile: serverStream(async (req: GetModelFileRequest, call: ServerWritableStream<GetModelFileRequest, FileChunk>) => {
      const secrets = secret();
      let ok = false;
      for (const s of secrets) {
        if (s === '') continue; // an empty secret would accept anyone
        try {
          checkSecret(call.metadata, s);
          ok = true;
          break;
        } catch {
          // try the next live secret
        }
      }
      if (!ok) throw new TabagentError('TA_ERR_UNAUTHENTICATED', 'missing or wrong internal secret');
      if (!req.model) throw invalidArgument('model', 'is required');
      checkRequestPath(req.model, req.path);
      if (!issued.allowed(req.model, req.path)) {
        throw new TabagentError('TA_ERR_PERMISSION_DENIED', `path: file "${req.path}" of model "${req.model}" was not issued to this child`);
      }
      const file = await store.open(req.model, req.path, { start: req.offset });
      try {
        if (req.offset > file.size) {
          throw invalidArgument('offset', `${req.offset} is past the end of the file (${file.size} bytes)`);
        }
        await sendChunks(call, file, req.offset);
      } finally {
        await file.close();
      }
    }),
  };
}

/** Control characters (NUL included): no file name of a manifest holds one. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Refuses a path that could not name a file of a manifest before anything looks it up: control
 * characters (NUL) are INVALID_ARGUMENT; absolute paths, `..`, backslashes and their URL-encoded
 * forms (`%2e%2e%2f`) are PERMISSION_DENIED. Symlinks are the store's to refuse when it opens.
 */
function checkRequestPath(model: string, path: string): void {
  if (!path) throw invalidArgument('path', 'is required');
  if (CONTROL.test(model)) throw invalidArgument('model', 'contains a control character');
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // not valid percent-encoding: the path is taken as it is
  }
  for (const p of new Set([path, decoded])) {
    const how = p === path ? '' : ' once URL-decoded';
    if (CONTROL.test(p)) throw invalidArgument('path', `${JSON.stringify(path)} contains a control character${how}`);
    if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.split(/[\\/]/).includes('..')) {
      throw new TabagentError('TA_ERR_PERMISSION_DENIED', `path: ${JSON.stringify(path)} is outside the model${how}`);
    }
  }
}

/** Read buffers per transfer: one being read, others waiting to be framed or on their way out. */
const SLOTS = 4;

/**
 * Streams the file from `offset`, the first chunk carrying size + sha256. Reads go into a few
 * reused buffers, so no fresh memory is touched per chunk: a buffer is reused only after the
 * write callback of the chunk it held (grpc-js has copied it into its frame by then).
 */
async function sendChunks(call: ServerWritableStream<GetModelFileRequest, FileChunk>, file: OpenedFile, from: number): Promise<void> {
  // Buffers no bigger than the bytes to send, and no more of them than chunks (small files are the common case).
  const remaining = Math.max(0, file.size - from);
  const size = Math.min(MAX_CHUNK_BYTES, remaining);
  const count = Math.max(1, Math.min(SLOTS, Math.ceil(remaining / MAX_CHUNK_BYTES)));
  const slots = Array.from({ length: count }, () => ({ buffer: Buffer.allocUnsafeSlow(size), free: Promise.resolve() }));
  const ended = new Promise<void>((resolve) => {
    call.once('cancelled', resolve);
    call.once('close', resolve);
  });
  let offset = from;
  for (let i = 0; ; i++) {
    const slot = slots[i % count]!;
    await Promise.race([slot.free, ended]);
    if (call.cancelled) return;
    const data = await file.read(slot.buffer);
    if (data.length === 0 && i > 0) return;
    const first = i === 0;
    const chunk: FileChunk = { offset, data, totalSize: first ? file.size : 0, sha256: first ? file.sha256 : '' };
    offset += data.length;
    let release!: () => void;
    slot.free = new Promise<void>((resolve) => (release = resolve));
    if (!call.write(chunk, () => release())) await drainedOrEnded(call, ended);
    if (data.length === 0) return; // an empty file (or range): the one chunk says so
  }
}

/** Resolves on 'drain' or when the call ends, whichever comes first; leaves no listener behind. */
async function drainedOrEnded(call: ServerWritableStream<GetModelFileRequest, FileChunk>, ended: Promise<void>): Promise<void> {
  let onDrain!: () => void;
  const drained = new Promise<void>((resolve) => {
    onDrain = resolve;
    call.once('drain', onDrain);
  });
  try {
    await Promise.race([drained, ended]);
  } finally {
    call.off('drain', onDrain);
  }
}
