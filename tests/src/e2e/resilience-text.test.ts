// End-to-end: text streams across failures and shutdown, on karpathy/stories260K. A Generate cut by
// a SIGKILL of the ML child ends UNAVAILABLE saying how many tokens were delivered (exactly what the
// client got, no final statistics); SIGTERM of the supervisor refuses new calls but lets an
// in-flight Generate finish, then (without waiting for open health watches) stops the child and exits 0.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, HealthClient } from '@tabagent/common';
import { ModelState } from '@tabagent/protos/v1/model_management';
import type { GenerateRequest, GenerateResponse, GenerateStats } from '@tabagent/protos/v1/text';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { sharedDir } from '../support/paths.js';
import { isAlive } from '../support/processes.js';
import { startServer, waitServing, type ServerUnderTest } from '../support/server-process.js';

const STORIES = 'karpathy/stories260K';
const LONG = 400;

/** What one Generate stream delivered. */
interface Outcome { tokens: number; deltas: number; done: GenerateStats | undefined; error: ServiceError | undefined; endedAt: number }

/** Starts a greedy Generate of `maxNewTokens`; `onDelta(n)` sees the running delta count. */
function generate(c: PublicClients, maxNewTokens: number, onDelta?: (deltas: number, tokens: number) => void): Promise<Outcome> {
  const req: GenerateRequest = { model: STORIES, prompt: 'Once upon a time', sampling: { maxNewTokens, temperature: 0, topK: 0, stop: [] } };
  const s = c.text.generate(req, new Metadata(), { deadline: new Date(Date.now() + 60_000) });
  const out: Outcome = { tokens: 0, deltas: 0, done: undefined, error: undefined, endedAt: 0 };
  return new Promise((resolve) => {
    s.on('data', (r: GenerateResponse) => {
      if (r.delta) {
        out.deltas += 1;
        out.tokens += r.delta.tokenIds.length;
        onDelta?.(out.deltas, out.tokens);
      }
      if (r.done) out.done = r.done;
    });
    s.on('error', (e: ServiceError) => {
      out.error = e;
      out.endedAt = Date.now();
      resolve(out);
    });
    s.on('end', () => {
      out.endedAt = Date.now();
      resolve(out);
    });
  });
}

describe('Text.Generate when the ML child dies mid-stream', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--shared-models-dir', join(sharedDir(), 'models')] });
    c = connect(server.address);
    const loaded = await call(c.models, c.models.loadModel, { model: STORIES, options: undefined });
    assert.equal(loaded.model?.state, ModelState.MODEL_STATE_READY);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('ends with UNAVAILABLE naming the restart and the exact number of tokens delivered', async () => {
    const [victim] = server.childPids();
    assert.ok(victim !== undefined);
    let killedAtTokens = -1;
    const r = await generate(c, LONG, (deltas, tokens) => {
      if (deltas === 10) {
        killedAtTokens = tokens;
        process.kill(victim, 'SIGKILL');
      }
    });
    assert.ok(killedAtTokens > 0, 'the stream was cut after its 10th delta');
    assert.ok(r.error, `expected an error, got ${r.tokens} tokens and done=${JSON.stringify(r.done)}`);
    assert.equal(r.error.code, status.UNAVAILABLE);
    assert.equal(r.error.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_CHILD_UNAVAILABLE');
    const m = /restarted during generation after (\d+) tokens were delivered/.exec(r.error.details);
    assert.ok(m, `message: ${r.error.details}`);
    assert.equal(Number(m[1]), r.tokens, 'the count in the message is what the client received');
    assert.ok(r.tokens >= killedAtTokens && r.tokens < LONG, `delivered ${r.tokens}`);
    assert.equal(r.done, undefined, 'no final statistics after a cut stream');
    // Until the new child has it again, GetModel says why the model is not ready.
    // (A restart takes well under a second, so the new child may already have it back.)
    const info = await call(c.models, c.models.getModel, { model: STORIES });
    if (info.state === ModelState.MODEL_STATE_LOADING) assert.match(info.lastError, /ML child was killed by SIGKILL/);
    else assert.equal(info.state, ModelState.MODEL_STATE_READY);
  });

  it('generates again once the new child has reloaded the model', async () => {
    await waitServing(server.address, 'tabagent.ml', 30_000);
    const info = await call(c.models, c.models.getModel, { model: STORIES });
    assert.equal(info.state, ModelState.MODEL_STATE_READY);
    assert.equal(info.childPid, server.childPids()[0]);
    const r = await generate(c, 16);
    assert.equal(r.error, undefined, r.error?.details);
    assert.equal(r.tokens, 16);
    assert.equal(r.done?.completionTokens, 16);
  });
});

describe('SIGTERM of the supervisor during a Generate', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--shutdown-grace-ms', '10000', '--shared-models-dir', join(sharedDir(), 'models')] });
    c = connect(server.address);
    await call(c.models, c.models.loadModel, { model: STORIES, options: undefined });
  });
  after(async () => {
    c?.close();
    if (server && server.proc.exitCode === null) await server.stop('SIGKILL');
  });

  it('drains the in-flight stream to its end, refuses new calls, then exits 0 with no process left', async () => {
    const kids = server.childPids();
    // A health watcher never ends by itself: it must not hold the shutdown for the whole grace period.
    const watcher = new HealthClient(server.address);
    watcher.watch('', () => undefined, () => undefined);
    let signalledAt = 0;
    let tokensAtSignal = 0;
    const exited = new Promise<{ code: number | null; at: number }>((r) => server.proc.once('exit', (code) => r({ code, at: Date.now() })));
    const running = generate(c, LONG, (deltas, tokens) => {
      if (deltas === 1) {
        signalledAt = Date.now();
        tokensAtSignal = tokens;
        server.proc.kill('SIGTERM');
      }
    });
    await server.waitForLog(/"msg":"shutting down: draining in-flight work"/, 10_000);
    // A new connection is refused while the stream drains.
    const late = connect(server.address);
    const err = await expectGrpcError(call(late.models, late.models.listModels, { loadedOnly: false }, { timeoutMs: 3000 }));
    late.close();
    assert.equal(err.code, status.UNAVAILABLE, `late call: ${err.code} ${err.details}`);

    const r = await running;
    assert.equal(r.error, undefined, `the drained stream failed: ${r.error?.details}`);
    assert.equal(r.done?.completionTokens, LONG);
    assert.equal(r.tokens, LONG);
    assert.ok(tokensAtSignal < LONG, 'SIGTERM arrived while tokens were still coming');
    const { code, at } = await exited;
    process.stdout.write(`drained ${LONG - tokensAtSignal} tokens in ${r.endedAt - signalledAt} ms after SIGTERM; exit ${at - r.endedAt} ms after the stream ended\n`);
    watcher.close();
    assert.equal(code, 0);
    assert.ok(at >= r.endedAt, 'the supervisor exited only after the stream ended');
    assert.ok(at - r.endedAt < 5000, `exit ${at - r.endedAt} ms after the last call: the 10 s grace period was waited out`);
    for (const pid of [server.pid, ...kids]) assert.equal(isAlive(pid), false, `pid ${pid} survived`);
  });
});
