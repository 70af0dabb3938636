// Fetches model files from the supervisor's ModelFiles service into memory (no temp files),
// resuming from the last offset on a broken stream; the file is assembled and its sha256 computed
// while the chunks arrive (off the main thread for big files, see FileAssembler).
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { grpcChannelOptions, SECRET_KEY, TabagentError, fromServiceError, isServiceError } from '@tabagent/common';
import { ModelFilesClient as GrpcModelFilesClient, type FileChunk } from '@tabagent/protos/v1/model_files';
import { FileAssembler, type Assembly } from './file-assembler.js';
import { advertiseLargeHttp2Frames } from './http2-frames.js';

/** Progress of one file download. */
export type FileProgress = (bytesDone: number, bytesTotal: number) => void;

/** Reads whole model files from the supervisor. */
export class ModelFilesClient {
  readonly #client: GrpcModelFilesClient;
  readonly #secret: string;
  readonly #assembler = new FileAssembler();

  constructor(endpoint: string, secret: string) {
    advertiseLargeHttp2Frames();
    this.#client = new GrpcModelFilesClient(endpoint, credentials.createInsecure(), grpcChannelOptions());
    this.#secret = secret;
  }

  /** Downloads one file; verifies the sha256 announced by the server (and `expectedSha256` if given). */
  async readFile(model: string, path: string, expectedSha256?: string, onProgress?: FileProgress): Promise<Uint8Array> {
    let assembly: Assembly | undefined;
    let total = -1;
    let announced = '';
    let offset = 0;
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await this.#stream(model, path, offset, (chunk) => {
            if (chunk.offset === offset && offset === 0 && chunk.totalSize >= 0 && assembly === undefined) {
              total = chunk.totalSize;
              announced = chunk.sha256;
              assembly = this.#assembler.begin(total);
            }
            if (!assembly) throw new TabagentError('TA_ERR_INTERNAL', `${path}: first chunk carried no size`);
            const length = chunk.data.length;
            if (chunk.offset !== offset || offset + length > total) {
              throw new TabagentError('TA_ERR_DATA_LOSS', `${path}: chunk at ${chunk.offset}, expected ${offset}`);
            }
            assembly.push(chunk.data); // may detach chunk.data (handed over to the assembler thread)
            offset += length;
            onProgress?.(offset, total);
          });
          break;
        } catch (err) {
          // Only a broken transport is resumed; anything the server said on purpose is final.
          if (!isServiceError(err) || (err as ServiceError).code !== 14 || attempt === 2) throw toError(err);
        }
      }
      if (!assembly || offset !== total) {
        throw new TabagentError('TA_ERR_DATA_LOSS', `${model}/${path}: got ${offset} of ${total} bytes`);
      }
    } catch (err) {
      assembly?.abort();
      throw err;
    }
    let done: { bytes: Uint8Array; sha256: string };
    try {
      done = await assembly.finish();
    } catch (err) {
      throw new TabagentError('TA_ERR_INTERNAL', `${model}/${path}: assembling the file failed: ${(err as Error).message}`, { cause: err });
    }
    for (const want of [announced, expectedSha256]) {
      if (want && want !== done.sha256) {
        throw new TabagentError('TA_ERR_DATA_LOSS', `${model}/${path}: sha256 ${done.sha256} does not match ${want}`);
      }
    }
    return done.bytes;
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
    this.#assembler.close();
  }
}

function toError(err: unknown): Error {
  if (err instanceof TabagentError) return err;
  if (isServiceError(err)) return fromServiceError(err);
  return err instanceof Error ? err : new Error(String(err));
}
