// Resumable HTTP download to a file: continues a partial file with a Range request, retries
// cut connections and 5xx answers, reports progress, and honours an abort signal.

import { createWriteStream } from 'node:fs';
import { stat, truncate } from 'node:fs/promises';
import { once } from 'node:events';
import type { Logger } from 'pino';
import { StoreError, diskFault } from '../core/errors.js';
import type { FetchOptions } from './types.js';

export interface DownloadRequest {
  readonly url: string;
  readonly dest: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly attempts?: number;
  readonly logger?: Logger;
  /** Name used in errors and logs (model id / file). */
  readonly label: string;
}

export interface DownloadResponseInfo {
  readonly etag?: string;
  readonly linkedEtag?: string;
  readonly resumedFrom: number;
}

function sizeOf(path: string): Promise<number> {
  return stat(path).then((s) => s.size, () => 0);
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

async function attemptOnce(req: DownloadRequest, opts: FetchOptions): Promise<DownloadResponseInfo> {
  let offset = await sizeOf(req.dest);
  const headers: Record<string, string> = { ...req.headers, 'accept-encoding': 'identity' };
  if (offset > 0) headers['range'] = `bytes=${offset}-`;
  const res = await fetch(req.url, { headers, signal: opts.signal, redirect: 'follow' });
  if (res.status === 416 && offset > 0) {
    // the partial is not a prefix we can extend: start over
    await res.body?.cancel();
    await truncate(req.dest, 0);
    return attemptOnce(req, opts);
  }
  if (res.status === 404) {
    await res.body?.cancel();
    throw new StoreError('STORE_NOT_FOUND', `${req.label}: not found at ${req.url}`, { url: req.url });
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new StoreError('STORE_PERMISSION_DENIED', `${req.label}: access denied (${res.status}) at ${req.url}`, { url: req.url });
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    throw new StoreError('STORE_UNAVAILABLE', `${req.label}: HTTP ${res.status} from ${req.url}`,
      { url: req.url, status: res.status, retryable: retryable(res.status) });
  }
  if (res.status === 200 && offset > 0) offset = 0; // server ignored the Range: rewrite from the start
  if (res.status === 206) {
    const start = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '')?.[1];
    if (start === undefined || Number(start) !== offset) {
      await res.body?.cancel();
      await truncate(req.dest, 0);
      throw new StoreError('STORE_UNAVAILABLE', `${req.label}: unexpected Content-Range from ${req.url}`,
        { url: req.url, retryable: true });
    }
  }
  const length = Number(res.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? offset + length : 0;
  const out = createWriteStream(req.dest, offset > 0 ? { flags: 'r+', start: offset } : { flags: 'w' });
  let done = offset;
  opts.onProgress(done, total);
  try {
    if (res.body === null) throw new Error('response has no body');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (!out.write(chunk)) await once(out, 'drain');
      done += chunk.length;
      opts.onProgress(done, total);
    }
  } finally {
    out.end();
    await once(out, 'close').catch(() => undefined);
  }
  if (total > 0 && done !== total) {
    throw new StoreError('STORE_UNAVAILABLE', `${req.label}: connection ended after ${done} of ${total} bytes`,
      { url: req.url, retryable: true });
  }
  return {
    etag: res.headers.get('etag') ?? undefined,
    linkedEtag: res.headers.get('x-linked-etag') ?? undefined,
    resumedFrom: offset,
  };
}

function isRetryable(err: unknown): boolean {
  if (diskFault(err, '') !== undefined) return false;
  if (err instanceof StoreError) return err.details['retryable'] === true;
  return err instanceof TypeError || (err as NodeJS.ErrnoException).code !== undefined; // network errors
}

/** Downloads `url` into `dest`, resuming a partial `dest`; throws StoreError codes on failure. */
export async function downloadWithResume(req: DownloadRequest, opts: FetchOptions): Promise<DownloadResponseInfo> {
  const attempts = Math.max(1, req.attempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(req, opts);
    } catch (err) {
      if (opts.signal.aborted) throw err;
      if (attempt >= attempts || !isRetryable(err)) {
        const fault = diskFault(err, req.dest);
        if (fault !== undefined) throw fault;
        if (err instanceof StoreError) throw err;
        throw new StoreError('STORE_UNAVAILABLE', `${req.label}: download from ${req.url} failed: ${(err as Error).message}`,
          { url: req.url }, { cause: err });
      }
      const kept = await sizeOf(req.dest);
      req.logger?.warn({ url: req.url, attempt, kept, err: (err as Error).message }, 'download interrupted; resuming');
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}
