// `file:<folder>` source: copies files from a local folder (relative folders are resolved against
// the configured local models folder), streaming with progress.

import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StoreError } from '../core/errors.js';
import { parseSource } from '../core/source-spec.js';
import type { CatalogEntry, CatalogFile } from '../core/types.js';
import type { FetchOptions, FetchResult, Source, SourceContext } from './types.js';

export class FileSource implements Source {
  readonly #ctx: SourceContext;

  constructor(ctx: SourceContext) {
    this.#ctx = ctx;
  }

  /** Absolute folder of an entry's `file:` source. */
  folderFor(entry: CatalogEntry): string {
    const spec = parseSource(entry.source);
    if (spec.kind !== 'file') throw new TypeError(`not a file: source: ${entry.source}`);
    if (isAbsolute(spec.path)) return spec.path;
    if (this.#ctx.localModelsDir === undefined) {
      throw new StoreError('STORE_FAILED_PRECONDITION',
        `model '${entry.id}' comes from the relative folder '${spec.path}' but no local models folder is configured`,
        { id: entry.id });
    }
    return resolve(this.#ctx.localModelsDir, spec.path);
  }

  async fetch(entry: CatalogEntry, file: CatalogFile, destTmp: string, options: FetchOptions): Promise<FetchResult> {
    const folder = this.folderFor(entry);
    const from = resolve(folder, entry.subdir ?? '.', file.path);
    let total: number;
    try {
      total = (await stat(from)).size;
    } catch (err) {
      throw new StoreError('STORE_NOT_FOUND', `model '${entry.id}': source file ${from} is missing`,
        { id: entry.id, path: file.path }, { cause: err });
    }
    let done = 0;
    options.onProgress(0, total);
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        done += chunk.length;
        options.onProgress(done, total);
        cb(null, chunk);
      },
    });
    await pipeline(createReadStream(from), counter, createWriteStream(destTmp, { flags: 'w' }), { signal: options.signal });
    return { origin: { folder } };
  }
}
