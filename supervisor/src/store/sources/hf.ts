// `hf:<repo>@<revision>` source: downloads `<endpoint>/<repo>/resolve/<revision>/<path>` with
// resume; the hub's ETag (the sha256 of large files) is passed on as a checksum hint.

import { SHA256_HEX } from '../core/hash.js';
import { parseSource } from '../core/source-spec.js';
import type { CatalogEntry, CatalogFile } from '../core/types.js';
import { downloadWithResume } from './http-download.js';
import type { FetchOptions, FetchResult, Source, SourceContext } from './types.js';

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

function etagSha256(etag: string | undefined): string | undefined {
  const bare = etag?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
  return bare !== undefined && SHA256_HEX.test(bare) ? bare : undefined;
}

export class HfSource implements Source {
  readonly #ctx: SourceContext;

  constructor(ctx: SourceContext) {
    this.#ctx = ctx;
  }

  /** The resolve URL of one file. */
  urlFor(entry: CatalogEntry, file: CatalogFile): string {
    const spec = parseSource(entry.source);
    if (spec.kind !== 'hf') throw new TypeError(`not an hf: source: ${entry.source}`);
    const endpoint = (this.#ctx.hfEndpoint ?? DEFAULT_HF_ENDPOINT).replace(/\/+$/, '');
    const inRepo = entry.subdir !== undefined ? `${entry.subdir}/${file.path}` : file.path;
    return `${endpoint}/${spec.repo}/resolve/${encodeURIComponent(spec.revision)}/${encodePath(inRepo)}`;
  }

  async fetch(entry: CatalogEntry, file: CatalogFile, destTmp: string, options: FetchOptions): Promise<FetchResult> {
    const url = this.urlFor(entry, file);
    const headers: Record<string, string> = {};
    if (this.#ctx.hfToken !== undefined) headers['authorization'] = `Bearer ${this.#ctx.hfToken}`;
    const info = await downloadWithResume({
      url, dest: destTmp, headers, attempts: this.#ctx.httpAttempts, logger: this.#ctx.logger,
      label: `${entry.id}/${file.path}`,
    }, options);
    const sha256 = etagSha256(info.linkedEtag) ?? etagSha256(info.etag);
    return sha256 !== undefined ? { sha256 } : {};
  }
}
