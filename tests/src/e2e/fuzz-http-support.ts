// Support code of the HTTP fuzz suite: a raw HTTP client (the path and body bytes go out exactly as
// given: no URL normalisation, no re-encoding), multipart bodies built by hand (so parts can be
// missing, repeated or cut short), and the checks on every answer and after every batch.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { ServerUnderTest } from '../support/server-process.js';
import { assertStillServing } from './fuzz-support.js';

/** Bodies from this size on wait a moment for an early refusal before they are written. */
const EARLY_ANSWER_BYTES = 8 * 1024 * 1024;

/** One HTTP answer. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
}

/** One request. */
export interface Call {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  timeoutMs?: number;
}

/** A raw HTTP client of one server (keep-alive, one agent). */
export class RawHttp {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(readonly port: number, readonly token: string) {}

  /** Sends a request; a server that answers before reading all of a large body is fine (EPIPE after the answer is ignored). */
  send(c: Call): Promise<Answer> {
    const body = typeof c.body === 'string' ? Buffer.from(c.body) : c.body;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, ...c.headers };
    if (body !== undefined) headers['content-length'] = String(body.length);
    const method = c.method ?? (body === undefined ? 'GET' : 'POST');
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request({ host: '127.0.0.1', port: this.port, method, path: c.path, headers, agent: this.#agent }, (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(parts) }));
      });
      req.setTimeout(c.timeoutMs ?? 120_000, () => req.destroy(new Error(`${method} ${c.path}: no answer in time`)));
      req.on('error', (err) => { if (!answered) reject(err); });
      if (body === undefined || body.length < EARLY_ANSWER_BYTES) {
        req.end(body);
        return;
      }
      // A server may refuse a large body from its Content-Length alone and close the connection: the
      // headers go first, and the body only when no answer came within a second.
      req.flushHeaders();
      setTimeout(() => { if (!answered) req.end(body); }, 1000);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** One part of a hand-made multipart body. */
export interface Part { name: string; filename?: string; type?: string; data: Buffer | string }

/** A multipart/form-data body and its content type. */
export function multipart(parts: readonly Part[], boundary = 'fuzz-boundary-7d3a'): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const file = p.filename === undefined ? '' : `; filename="${p.filename}"`;
    const type = p.type === undefined ? '' : `\r\nContent-Type: ${p.type}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${file}${type}\r\n\r\n`), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Statuses bad input may get: 400, 401, 404, 409 (not loaded), 413, 415, 422 (cannot run it), 429 (queue full), 501 (not built). */
const CLIENT_STATUSES = new Set([400, 401, 404, 409, 413, 415, 422, 429, 501]);

/** OpenAI's error object of an answer. */
export interface ErrorObject { message: string; type: string; param: string | null; code: string | null }

/** What an answer must be, besides a success or a well-formed client error. */
export interface Expect {
  /** The request parameter a 400 or 413 must name (alternatives allowed). */
  param?: string | readonly string[];
  /** The only statuses allowed. */
  statuses?: readonly number[];
}

/** The error of an answer (asserting the shape), or undefined for a success. */
export function assertAnswer(a: Answer, what: string, expect: Expect = {}): ErrorObject | undefined {
  const text = a.bytes.subarray(0, 300).toString('utf8');
  if (expect.statuses) assert.ok(expect.statuses.includes(a.status), `${what}: status ${a.status} not in ${expect.statuses.join('/')}: ${text}`);
  if (a.status >= 200 && a.status < 300) return undefined;
  assert.ok(CLIENT_STATUSES.has(a.status), `${what}: status ${a.status} for bad input: ${text}`);
  assert.match(String(a.headers['content-type']), /^application\/json/, `${what}: error is not JSON: ${text}`);
  const body = JSON.parse(a.bytes.toString('utf8')) as { error?: ErrorObject };
  const e = body.error;
  assert.ok(e !== undefined && typeof e.message === 'string' && e.message.length > 0 && typeof e.type === 'string', `${what}: not OpenAI's error shape: ${text}`);
  assert.ok(e.param === null || (typeof e.param === 'string' && e.param.length > 0), `${what}: param ${JSON.stringify(e.param)}`);
  // A route that does not exist has no stable code (OpenAI's code: null); every refusal of a route has one, also in a header.
  if (e.code === null) assert.ok(a.status === 404 && /^Invalid URL/.test(e.message), `${what}: no error code: ${text}`);
  else {
    assert.match(e.code, /^TA_ERR_[A-Z_]+$/, `${what}: code ${e.code}`);
    assert.equal(a.headers['x-tabagent-error-code'], e.code, `${what}: x-tabagent-error-code header`);
  }
  if (a.status === 429) assert.match(String(a.headers['retry-after']), /^\d+$/, `${what}: 429 without Retry-After`);
  if (a.status === 400 || a.status === 413) {
    const want = expect.param === undefined ? undefined : [expect.param].flat();
    if (want) assert.ok(e.param !== null && want.includes(e.param), `${what}: ${a.status} names ${JSON.stringify(e.param)}, not ${want.join(' or ')}: ${e.message}`);
  }
  return e;
}

/** `/readyz` answers 200, both processes are SERVING over gRPC, and the ML child is the one that started. */
export async function assertHttpServing(server: ServerUnderTest, http: RawHttp, childPid: number): Promise<void> {
  const ready = await http.send({ path: '/readyz' });
  assert.equal(ready.status, 200, `/readyz: ${ready.bytes.toString('utf8')}`);
  await assertStillServing(server, childPid);
}

/** Resident memory of a process in MiB. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] === undefined ? 0 : Number(m[1]) / 1024;
}

/** A copy of `bytes` cut to a fraction of its length with some bytes flipped. */
export function damage(bytes: Buffer, cut: number, flips: readonly number[]): Buffer {
  const out = Buffer.from(bytes.subarray(0, Math.max(1, Math.floor(bytes.length * cut))));
  for (const f of flips) out[f % out.length] = out[f % out.length]! ^ 0x5a;
  return out;
}
