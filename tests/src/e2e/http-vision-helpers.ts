// Helpers of the vision-over-HTTP tests: POSTs of an image as a raw body, multipart or JSON, and a
// comparison of an HTTP answer with the gRPC answer for the same request (in ts-proto's proto3
// JSON form), number by number within a tolerance.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { testImage } from '../support/paths.js';

/** How the image travels. */
export type BodyKind = 'raw' | 'multipart' | 'json';

/** An HTTP answer: status, headers and the body as JSON (when it is JSON) and bytes. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  json: Record<string, unknown> | undefined;
}

/** POSTs an image (a test photo's name, or bytes) to a vision route with options sent the `kind` way. */
export async function postImage(
  base: string, task: string, image: string | Buffer, kind: BodyKind, options: Record<string, string | number | boolean> = {},
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const bytes = typeof image === 'string' ? readFileSync(testImage(image)) : image;
  const type = typeof image === 'string' && image.endsWith('.png') ? 'image/png' : 'image/jpeg';
  let url = `${base}/v1/vision/${task}`;
  let body: Buffer | FormData | string;
  const h: Record<string, string> = { ...headers };
  if (kind === 'raw') {
    const q = new URLSearchParams(Object.entries(options).map(([k, v]): [string, string] => [k, String(v)]));
    if (q.size > 0) url += `?${q}`;
    body = bytes;
    h['content-type'] = type;
  } else if (kind === 'multipart') {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), 'image');
    for (const [k, v] of Object.entries(options)) form.append(k, String(v));
    body = form;
  } else {
    body = JSON.stringify({ image: bytes.toString('base64'), ...options });
    h['content-type'] = 'application/json';
  }
  const res = await fetch(url, { method: 'POST', body, headers: h });
  const buf = Buffer.from(await res.arrayBuffer());
  const json = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(buf.toString('utf8')) as Record<string, unknown> : undefined;
  return { status: res.status, headers: res.headers, bytes: buf, json };
}

/**
 * POSTs a body the server refuses from its Content-Length alone: it answers before reading the body
 * and closes the connection, so the headers go first and the body only if no answer came within a
 * second (a client that writes at once may see EPIPE before it reads the answer).
 */
export function postRefusedBody(url: string, body: Buffer, contentType: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'POST', headers: { 'content-type': contentType, 'content-length': String(body.length) } }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('error', reject);
      res.on('end', () => {
        req.destroy();
        const bytes = Buffer.concat(parts);
        const headers = new Headers(Object.entries(res.headers).flatMap(([k, v]): Array<[string, string]> => (v === undefined ? [] : [[k, String(v)]])));
        resolve({ status: res.statusCode ?? 0, headers, bytes, json: JSON.parse(bytes.toString('utf8')) as Record<string, unknown> });
      });
    });
    req.on('error', (err) => { if (!answered) reject(err); });
    req.flushHeaders();
    setTimeout(() => { if (!answered) req.end(body); }, 1000);
  });
}

/** Whether a value is a proto3 default (what ts-proto's toJSON leaves out). */
function isDefault(v: unknown): boolean {
  return v === 0 || v === false || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
    || (typeof v === 'string' && /_UNSPECIFIED$/.test(v));
}

/**
 * Asserts that `got` (the HTTP JSON) equals `want` (the gRPC answer through ts-proto's toJSON):
 * numbers within `tol`, everything else equal; `got` may add only default values; `timing` is skipped.
 * Returns how many numbers were compared.
 */
export function assertSameAnswer(got: unknown, want: unknown, tol = 1e-5, path = '$'): number {
  if (typeof want === 'number') {
    assert.equal(typeof got, 'number', `${path}: ${JSON.stringify(got)} is not a number`);
    assert.ok(Math.abs((got as number) - want) <= tol, `${path}: ${String(got)} differs from gRPC's ${want} by more than ${tol}`);
    return 1;
  }
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), `${path}: not an array`);
    assert.equal(got.length, want.length, `${path}: ${got.length} items, gRPC has ${want.length}`);
    return want.reduce<number>((n, w, i) => n + assertSameAnswer(got[i], w, tol, `${path}[${i}]`), 0);
  }
  if (typeof want === 'object' && want !== null) {
    assert.ok(typeof got === 'object' && got !== null && !Array.isArray(got), `${path}: not an object`);
    const g = got as Record<string, unknown>;
    let n = 0;
    for (const [k, w] of Object.entries(want)) {
      if (k === 'timing') continue;
      assert.ok(k in g, `${path}.${k} is missing from the HTTP answer`);
      n += assertSameAnswer(g[k], w, tol, `${path}.${k}`);
    }
    for (const [k, v] of Object.entries(g)) {
      if (k !== 'timing' && !(k in want)) assert.ok(isDefault(v), `${path}.${k}: ${JSON.stringify(v)} is not in the gRPC answer`);
    }
    return n;
  }
  assert.deepEqual(got, want, path);
  return 0;
}

/** Asserts an HTTP refusal: status, OpenAI's error shape, the param and the TA_ERR_* code. */
export function assertRefusal(a: HttpAnswer, status: number, param: string | null, code: string): void {
  const e = (a.json as { error?: { message?: string; type?: string; param?: unknown; code?: unknown } } | undefined)?.error;
  assert.equal(a.status, status, `status ${a.status}: ${a.bytes.toString('utf8').slice(0, 300)}`);
  assert.ok(e && typeof e.message === 'string' && typeof e.type === 'string', `not OpenAI's error shape: ${a.bytes.toString('utf8').slice(0, 300)}`);
  assert.equal(e.param, param, e.message);
  assert.equal(e.code, code, e.message);
  assert.equal(a.headers.get('x-tabagent-error-code'), code);
}
