// End-to-end: the HTTP API of a real tabagent-server started with --auth-token: a wrong or missing
// bearer token is a 401 in OpenAI's error shape (the openai SDK raises AuthenticationError), the
// right one is served (embeddings too, whose route calls the Text service in process), and /healthz
// and /readyz stay open; request ids come back as x-request-id.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI, { AuthenticationError, BadRequestError, NotFoundError } from 'openai';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const TOKEN = 'http-test-token-3f1c';

describe('HTTP API with --auth-token', () => {
  let server: ServerUnderTest;
  let base: string;

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--auth-token', TOKEN] });
    base = `http://127.0.0.1:${server.httpPort}`;
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('refuses a wrong token through the SDK with AuthenticationError and serves the right one', async () => {
    const wrong = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'not-the-token' });
    const err = await wrong.models.list().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AuthenticationError, String(err));
    assert.equal(err.status, 401);
    assert.equal(err.code, 'TA_ERR_UNAUTHENTICATED');
    assert.equal(err.type, 'authentication_error');
    assert.equal(err.param, null);

    const right = new OpenAI({ baseURL: `${base}/v1`, apiKey: TOKEN });
    const page = await right.models.list();
    assert.ok(page.data.some((m) => m.id === 'google/universal-sentence-encoder-lite'));
  });

  it('answers a request without a token or with another scheme with 401 in OpenAI error shape', async () => {
    for (const headers of [{}, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }] as Array<Record<string, string>>) {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'karpathy/stories260K', messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const body = (await res.json()) as { error: Record<string, unknown> };
      assert.deepEqual(Object.keys(body), ['error']);
      assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
      assert.equal(body.error['type'], 'authentication_error');
      assert.equal(body.error['code'], 'TA_ERR_UNAUTHENTICATED');
      assert.equal(typeof body.error['message'], 'string');
    }
  });

  it('serves embeddings only with the token, with typed refusals naming the model or the parameter', async () => {
    const body = JSON.stringify({ model: 'google/universal-sentence-encoder-lite', input: ['a cat', 'a dog'] });
    const post = (b: string, headers: Record<string, string>): Promise<Response> =>
      fetch(`${base}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: b });
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}x` }] as Array<Record<string, string>>) {
      const res = await post(body, headers);
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'TA_ERR_UNAUTHENTICATED');
    }
    const ok = await post(body, { authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200);
    const got = (await ok.json()) as { data: Array<{ index: number; embedding: number[] }>; model: string };
    assert.deepEqual(got.data.map((d) => [d.index, d.embedding.length]), [[0, 512], [1, 512]]);
    assert.equal(got.model, 'google/universal-sentence-encoder-lite');

    const right = new OpenAI({ baseURL: `${base}/v1`, apiKey: TOKEN });
    const unknown = await right.embeddings.create({ model: 'nobody/no-such-embedder', input: 'x' }).then(() => undefined, (e: unknown) => e);
    assert.ok(unknown instanceof NotFoundError, String(unknown));
    assert.equal(unknown.code, 'TA_ERR_MODEL_NOT_FOUND');
    assert.match(unknown.message, /nobody\/no-such-embedder/);
    const short = await right.embeddings.create({ model: 'google/universal-sentence-encoder-lite', input: 'x', dimensions: 64 }).then(() => undefined, (e: unknown) => e);
    assert.ok(short instanceof BadRequestError, String(short));
    assert.equal(short.param, 'dimensions');
    const notText = await post(JSON.stringify({ model: 'google/universal-sentence-encoder-lite', input: [1, 2] }), { authorization: `Bearer ${TOKEN}` });
    assert.equal(notText.status, 400);
    assert.equal(((await notText.json()) as { error: { param: string } }).error.param, 'input');
  });

  it('keeps /healthz and /readyz open: alive, and ready once the ML child serves', async () => {
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    // startServer waited for the ML child to be SERVING: the server is ready (nothing to preload).
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', child: 'SERVING', missing: [] });
  });

  it('echoes a given x-request-id and makes one up otherwise', async () => {
    const given = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'trace-42.a' } });
    assert.equal(given.headers.get('x-request-id'), 'trace-42.a');
    const made = await fetch(`${base}/healthz`);
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});
