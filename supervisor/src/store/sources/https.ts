// `https://` (or `http://`) base-URL source: each file is `<base>/<subdir>/<path>`, downloaded
// with the same resumable downloader as the hub source.

import { parseSource } from '../core/source-spec.js';
import type { CatalogEntry, CatalogFile } from '../core/types.js';
import { downloadWithResume } from './http-download.js';
import type { FetchOptions, FetchResult, Source, SourceContext } from './types.js';

export class HttpsSource implements Source {
  readonly #ctx: SourceContext;

  constructor(ctx: SourceContext) {
    this.#ctx = ctx;
  }

  urlFor(entry: CatalogEntry, file: CatalogFile): string {
    const spec = parseSource(entry.source);
    if (spec.kind !== 'https') throw new TypeError(`not an https source: ${entry.source}`);
    const rel = entry.subdir !== undefined ? `${entry.subdir}/${file.path}` : file.path;
    return new URL(rel.split('/').map(encodeURIComponent).join('/'), spec.baseUrl).href;
  }

  async fetch(entry: CatalogEntry, file: CatalogFile, destTmp: string, options: FetchOptions): Promise<FetchResult> {
    const url = this.urlFor(entry, file);
    await downloadWithResume({
      url, dest: destTmp, attempts: this.#ctx.httpAttempts, logger: this.#ctx.logger, label: `${entry.id}/${file.path}`,
    }, options);
    return {};
  }
}
