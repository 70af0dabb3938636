// End-to-end: the HTTP API of a real tabagent-server while its ML child is SIGKILLed. /readyz goes
// not-ready during the restart and ready after it; a non-streamed chat and an embeddings call cut by
// the kill answer what they answer without one (the call runs again on the next child) or a 503,
// and never hang. The SDK's own retries are off, so what is seen is what the server did. A SIGTERM
// while an embeddings call is stuck in a stopped child ends that call with a 503 after the grace period.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { sharedDir } from '../support/paths.js';
import { startServer, waitServing, type ServerUnderTest } from '../support/server-process.js';

const LLM = 'karpathy/stories260K';
const EMBEDDER = 'google/universal-sentence-encoder-lite';

/** Polls /readyz until its status is `want`; returns how many polls it took. */
async function readyzUntil(base: string, want: number, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (let polls = 1; Date.now() < until; polls += 1) {
    if ((await fetch(`${base}/readyz`)).status === want) return polls;
    await sleep(10);
  }
  throw new Error(`/readyz did not answer ${want} within ${timeoutMs} ms`);
}

describe('HTTP API when the ML child is killed', () => {
  let server: ServerUnderTest;
  let base: string;
  let openai: OpenAI;

  /** Runs `task`, SIGKILLs the child after `delayMs`; the outcome and whether the kill came first. */
  const withKill = async <T>(task: () => Promise<T>, delayMs: number): Promise<{ value?: T; err?: unknown; killedFirst: boolean }> => {
    let settled = false;
    const running = task().then((value) => ({ value }), (err: unknown) => ({ err })).finally(() => { settled = true; });
    await sleep(delayMs);
    const killedFirst = !settled;
    const [pid] = server.childPids();
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGKILL');
    // The hang guard is cancelled once the call settles, so it does not keep the test process alive.
    const guard = new AbortController();
    const hang = sleep(90_000, undefined, { signal: guard.signal }).then(() => { throw new Error('the HTTP call hung after the child was killed'); });
    hang.catch(() => undefined);
    const out = await Promise.race([running, hang]).finally(() => guard.abort());
    await waitServing(server.address, 'tabagent.ml', 60_000);
    return { ...out, killedFirst };
  };
  const assert503 = (err: unknown): void => {
    assert.ok(err instanceof APIError, String(err));
    assert.equal(err.status, 503, err.message);
    assert.equal(err.code, 'TA_ERR_CHILD_UNAVAILABLE');
  };

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--shared-models-dir', join(sharedDir(), 'models')] });
    base = `http://127.0.0.1:${server.httpPort}`;
    openai = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('/readyz answers 503 while the child restarts and 200 after', async () => {
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const [pid] = server.childPids();
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGKILL');
    await readyzUntil(base, 503, 10_000);
    const body = await (await fetch(`${base}/readyz`)).json() as { child: string };
    assert.equal(body.child, 'NOT_SERVING');
    await readyzUntil(base, 200, 60_000);
    assert.deepEqual(await (await fetch(`${base}/readyz`)).json(), { status: 'ready', child: 'SERVING', missing: [] });
  });

  it('a non-streamed chat cut by the kill answers the greedy text of an uncut one, or 503', async () => {
    const messages = [{ role: 'user' as const, content: 'Tell me a long story about a dog.' }];
    const ask = (): Promise<OpenAI.ChatCompletion> => openai.chat.completions.create({ model: LLM, messages, temperature: 0, max_tokens: 400 });
    await ask(); // loads the model, so the timed call below is warm
    const t0 = Date.now();
    const ref = await ask();
    const ms = Date.now() - t0;
    const r = await withKill(ask, Math.max(5, Math.floor(ms / 4)));
    assert.ok(r.killedFirst, `the chat (${ms} ms uncut) finished before the kill`);
    if (r.err !== undefined) assert503(r.err);
    else assert.equal(r.value?.choices[0]?.message.content, ref.choices[0]?.message.content);
  });

  it('an embeddings call cut by the kill answers the vectors of an uncut one, or 503', async () => {
    const input = Array.from({ length: 256 }, (_, i) => `sentence number ${i} about cats and dogs`);
    const ask = (): Promise<OpenAI.CreateEmbeddingResponse> => openai.embeddings.create({ model: EMBEDDER, input, encoding_format: 'float' });
    await ask(); // loads the model, so the timed call below is warm
    const t0 = Date.now();
    const ref = await ask();
    const ms = Date.now() - t0;
    const r = await withKill(ask, Math.max(5, Math.floor(ms / 4)));
    assert.ok(r.killedFirst, `the embeddings call (${ms} ms uncut) finished before the kill`);
    if (r.err !== undefined) assert503(r.err);
    else {
      assert.equal(r.value?.data.length, input.length);
      let worst = 0;
      r.value!.data.forEach((d, i) => d.embedding.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - ref.data[i]!.embedding[j]!)); }));
      assert.ok(worst < 1e-4, `largest difference ${worst}`);
    }
  });
});

describe('SIGTERM of the supervisor while an HTTP embeddings call is stuck in the child', () => {
  const GRACE_MS = 1000;
  let server: ServerUnderTest;
  let stopped: number | undefined;
  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--shutdown-grace-ms', String(GRACE_MS), '--hang-timeout-ms', '30000', '--shared-models-dir', join(sharedDir(), 'models')] });
  });
  after(async () => {
    if (stopped !== undefined) try { process.kill(stopped, 'SIGKILL'); } catch { /* gone */ }
    if (server && server.proc.exitCode === null) await server.stop('SIGKILL');
  });

  it('answers 503 TA_ERR_SHUTTING_DOWN once the grace period is over, and the supervisor exits', async () => {
    const base = `http://127.0.0.1:${server.httpPort}`;
    const embed = (): Promise<Response> => fetch(`${base}/v1/embeddings`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: EMBEDDER, input: 'a stuck call' }),
    });
    assert.equal((await embed()).status, 200, 'the model loads and answers first');
    [stopped] = server.childPids();
    assert.ok(stopped !== undefined);
    process.kill(stopped, 'SIGSTOP');
    const stuck = embed();
    await sleep(300);
    const exited = new Promise<{ code: number | null; at: number }>((r) => server.proc.once('exit', (code) => r({ code, at: Date.now() })));
    const signalledAt = Date.now();
    server.proc.kill('SIGTERM');
    const res = await Promise.race([stuck, sleep(20_000).then(() => { throw new Error('the HTTP call outlived the drain'); })]);
    const answeredMs = Date.now() - signalledAt;
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'TA_ERR_SHUTTING_DOWN');
    assert.ok(answeredMs >= GRACE_MS - 50, `answered ${answeredMs} ms after SIGTERM, before the ${GRACE_MS} ms grace period was over`);
    const { code, at } = await exited;
    assert.equal(code, 0);
    assert.ok(at - signalledAt < GRACE_MS + 8000, `exit ${at - signalledAt} ms after SIGTERM`);
  });
});
