// A keep-alive HTTP/1.1 client on node:http for request/response workloads: one Agent per workload
// keeps a socket per concurrent caller open and reuses it (Nagle off), as a tuned production client
// (the openai SDK's agent, a connection pool) would. Node's global fetch costs the client several
// times more CPU per small request (WHATWG streams and the undici fetch layer), and on a machine whose
// cores the benchmark shares with the server that CPU would be taken from the server under test.
import { Agent, request } from 'node:http';

/** An answer: status, headers and the whole body as text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly text: string;
}

/** POSTs JSON bodies to one server over kept-alive connections. */
export class KeepAliveClient {
  readonly #base: URL;
  readonly #agent: Agent;

  /** `baseUrl` like "http://127.0.0.1:8080"; at most `maxSockets` connections at once. */
  constructor(baseUrl: string, maxSockets = 64) {
    this.#base = new URL(baseUrl);
    this.#agent = new Agent({ keepAlive: true, maxSockets, noDelay: true });
  }

  /** POST of `body` as JSON to `path`; rejects on a transport failure or after `timeoutMs`. */
  async postJson(path: string, body: unknown, timeoutMs: number): Promise<HttpAnswer> {
    const chunks: Buffer[] = [];
    const head = await this.postJsonStream(path, body, timeoutMs, (c) => chunks.push(c));
    return { ...head, text: Buffer.concat(chunks).toString('utf8') };
  }

  /** POST of `body` as JSON to `path`, its answer's body handed to `onData` as it arrives; resolves with the status and headers at the end. */
  postJsonStream(path: string, body: unknown, timeoutMs: number, onData: (chunk: Buffer) => void): Promise<Omit<HttpAnswer, 'text'>> {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.#base.hostname, port: this.#base.port, path, method: 'POST', agent: this.#agent, timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      }, (res) => {
        res.on('data', onData);
        res.on('error', reject);
        res.on('end', () => {
          const headers = res.headers;
          resolve({
            status: res.statusCode ?? 0,
            headers: { get: (name) => { const v = headers[name.toLowerCase()]; return v === undefined ? null : [v].flat().join(', '); } },
          });
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }
}
