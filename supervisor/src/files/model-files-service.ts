// ModelFiles.GetModelFile on the internal link: streams a file of an issued manifest to a child
// that presents the per-spawn secret, in chunks of at most 1 MiB, the first carrying size + sha256.
import type { ServerWritableStream } from '@grpc/grpc-js';
import { once } from 'node:events';
import { TabagentError, checkSecret, invalidArgument, serverStream } from '@tabagent/common';
import type { FileChunk, GetModelFileRequest, ModelFilesServer } from '@tabagent/protos/v1/model_files';
import type { ModelStore } from '../store/store.js';
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
      if (!req.path) throw invalidArgument('path', 'is required');
      if (req.path.startsWith('/') || req.path.split(/[\\/]/).includes('..')) {
        throw new TabagentError('TA_ERR_PERMISSION_DENIED', `path "${req.path}" is outside the model`);
      }
      if (!issued.allowed(req.model, req.path)) {
        throw new TabagentError('TA_ERR_PERMISSION_DENIED', `file "${req.path}" of model "${req.model}" was not issued to this child`);
      }
      const file = await store.open(req.model, req.path, { start: req.offset });
      if (req.offset > file.size) {
        file.stream.destroy();
        throw invalidArgument('offset', `${req.offset} is past the end of the file (${file.size} bytes)`);
      }
      let offset = req.offset;
      let first = true;
      try {
        for await (const buf of file.stream as AsyncIterable<Buffer>) {
          for (let i = 0; i < buf.length; i += MAX_CHUNK_BYTES) {
            if (call.cancelled) return;
            const data = buf.subarray(i, Math.min(buf.length, i + MAX_CHUNK_BYTES));
            const chunk: FileChunk = { offset, data, totalSize: first ? file.size : 0, sha256: first ? file.sha256 : '' };
            first = false;
            offset += data.length;
            if (!call.write(chunk)) await once(call, 'drain');
          }
        }
        if (first) call.write({ offset, data: Buffer.alloc(0), totalSize: file.size, sha256: file.sha256 });
      } finally {
        file.stream.destroy();
      }
    }),
  };
}
