// Fetches model files from the supervisor's ModelFiles service into memory (no temp files),
// resuming from the last offset on a broken stream; sha256 is computed while the chunks arrive.
import { createHash } from 'node:crypto';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions, SECRET_KEY, TabagentError, fromServiceError, isServiceError } from '@tabagent/common';
import { ModelFilesClient as GrpcModelFilesClient, type FileChunk } from '@tabagent/protos/v1/model_files';

/** Progress of one file download. */
export type FileProgress = (bytesDone: number, bytesTotal: number) => void;

/** Reads whole model files from the supervisor. */
export class ModelFilesClient {
  readonly #client: GrpcModelFilesClient;
  readonly #secret: string;

  constructor(endpoint: string, secret: string) {
    this.#client = new GrpcModelFilesClient(endpoint, credentials.createInsecure(), grpcChannelOptions());
    this.#secret = secret;
  }

  /** Downloads one file; verifies the sha256 announced by the server (and `expectedSha256` if given). */
  async readFile(model: string, path: string, expectedSha256?: string, onProgress?: FileProgress): Promise<Uint8Array> {
    let buffer: Uint8Array | undefined;
    let total = -1;
    let announced = '';
    let offset = 0;
    const hash = createHash('sha256');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.#stream(model, path, offset, (chunk) => {
          if (chunk.offset === offset && offset === 0 && chunk.totalSize >= 0 && buffer === undefined) {
            total = chunk.totalSize;
            announced = chunk.sha256;
            buffer = new Uint8Array(total);
          }
          if (!buffer) throw new TabagentError('TA_ERR_INTERNAL', `${path}: first chunk carried no size`);
          if (chunk.offset !== offset || offset + chunk.data.length > total) {
            throw new TabagentError('TA_ERR_DATA_LOSS', `${path}: chunk at ${chunk.offset}, expected ${offset}`);
          }
          buffer.set(chunk.data, offset);
          hash.update(chunk.data);
          offset += chunk.data.length;
          onProgress?.(offset, total);
        });
        break;
      } catch (err) {
        // Only a broken transport is resumed; anything the server said on purpose is final.
        if (!isServiceError(err) || (err as ServiceError).code !== 14 || attempt === 2) throw toError(err);
      }
    }
    if (!buffer || offset !== total) {
      throw new TabagentError('TA_ERR_DATA_LOSS', `${model}/${path}: got ${offset} of ${total} bytes`);
    }
    const digest = hash.digest('hex');
    for (const want of [announced, expectedSha256]) {
      if (want && want !== digest) {
        throw new TabagentError('TA_ERR_DATA_LOSS', `${model}/${path}: sha256 ${digest} does not match ${want}`);
      }
    }
    return buffer;
  }

  #stream(model: string, path: string, offset: number, onChunk: (c: FileChunk) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const meta = new Metadata();
      if (this.#secret) meta.set(SECRET_KEY, this.#secret);
      const call = this.#client.getModelFile({ model, path, offset }, meta);
      call.on('data', (c: FileChunk) => {
        try {
          onChunk(c);
        } catch (err) {
          call.cancel();
          reject(err);
        }
      });
      call.on('error', reject);
      call.on('end', resolve);
    });
  }

  /** Closes the channel. */
  close(): void {
    this.#client.close();
  }
}

function toError(err: unknown): Error {
  if (err instanceof TabagentError) return err;
  if (isServiceError(err)) return fromServiceError(err);
  return err instanceof Error ? err : new Error(String(err));
}
