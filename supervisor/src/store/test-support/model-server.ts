// Test helper: a real HTTP server on 127.0.0.1 that serves a folder the way the model hub does
// (`/<org>/<repo>/resolve/<revision>/<path>`, plus plain `/<path>`), with Range support, an
// ETag carrying the sha256, a request log, and the option to cut a response mid-way.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface LoggedRequest {
  readonly path: string;
  readonly range: string | undefined;
  readonly status: number;
}

export interface ModelServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly requests: LoggedRequest[];
  /** The next response for `path` sends only `bytes` bytes of the body, then drops the connection. */
  cutNext(path: string, bytes: number): void;
  close(): Promise<void>;
}

function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'bad' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header);
  if (m === null) return 'bad';
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || start > end ? 'bad' : { start, end };
}

/** Serves `folder`; hub-shaped URLs map `<repo>/resolve/<rev>/<path>` to `<folder>/<path>`. */
export async function startModelServer(folder: string): Promise<ModelServer> {
  const requests: LoggedRequest[] = [];
  const cuts = new Map<string, number>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const hub = /^\/[^/]+\/[^/]+\/resolve\/[^/]+\/(.+)$/.exec(url.pathname);
    const rel = decodeURIComponent(hub?.[1] ?? url.pathname.slice(1));
    const range = req.headers.range;
    const log = (status: number): void => { requests.push({ path: rel, range, status }); };
    let data: Buffer;
    try {
      if (rel.split('/').includes('..')) throw new Error('no');
      data = await readFile(join(folder, rel));
    } catch {
      log(404);
      res.writeHead(404).end('not found');
      return;
    }
    const etag = `"${createHash('sha256').update(data).digest('hex')}"`;
    const r = parseRange(range, data.length);
    if (r === 'bad') {
      log(416);
      res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
      return;
    }
    const body = r === undefined ? data : data.subarray(r.start, r.end + 1);
    const status = r === undefined ? 200 : 206;
    log(status);
    res.writeHead(status, {
      'content-length': String(body.length), 'accept-ranges': 'bytes', etag, 'x-linked-etag': etag,
      ...(r !== undefined ? { 'content-range': `bytes ${r.start}-${r.end}/${data.length}` } : {}),
    });
    const cut = cuts.get(rel);
    if (cut !== undefined) {
      cuts.delete(rel);
      res.write(body.subarray(0, cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body);
  };
  const server: Server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    cutNext: (path, bytes) => { cuts.set(path, bytes); },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
