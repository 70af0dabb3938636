// End-to-end lifecycle of the ML child with real processes: the child exits by itself when the
// supervisor is SIGKILLed; a child that crashes at start ends FAILED (stderr tail in
// GetRuntimeStatus, health NOT_SERVING, no busy loop, a later retry); a hung (SIGSTOPped) child is
// detected, killed and replaced, and its loaded model is loaded again on the new one.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Metadata, status } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, HealthClient } from '@tabagent/common';
import { ModelState, type GetRuntimeStatusResponse } from '@tabagent/protos/v1/model_management';
import type { GenerateRequest, GenerateResponse } from '@tabagent/protos/v1/text';
import { DetectFacesRequest } from '@tabagent/protos/v1/vision';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { sharedDir } from '../support/paths.js';
import { isAlive, waitGone } from '../support/processes.js';
import { startServer, tempDir, type ServerUnderTest } from '../support/server-process.js';

const STORIES = 'karpathy/stories260K';

/** Polls GetRuntimeStatus until `pred` holds. */
async function waitStatus(c: PublicClients, pred: (s: GetRuntimeStatusResponse) => boolean, timeoutMs: number): Promise<GetRuntimeStatusResponse> {
  const end = Date.now() + timeoutMs;
  let last: GetRuntimeStatusResponse | undefined;
  while (Date.now() < end) {
    last = await call(c.models, c.models.getRuntimeStatus, {}, { timeoutMs: 6000 }).catch(() => last);
    if (last && pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`runtime status never matched; last: ${JSON.stringify(last)}`);
}

/** Health of one service on the public server. */
async function health(address: string, service: string): Promise<string> {
  const h = new HealthClient(address);
  try {
    return await h.check(service, 5000);
  } finally {
    h.close();
  }
}

/** Runs a short greedy Generate to its end; returns the token count. */
function generateTokens(c: PublicClients, maxNewTokens: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let tokens = 0;
    const s = c.text.generate({ model: STORIES, prompt: 'Once upon a time', sampling: { maxNewTokens, temperature: 0, topK: 0, stop: [] } } as GenerateRequest,
      new Metadata(), { deadline: new Date(Date.now() + 30_000) });
    s.on('data', (r: GenerateResponse) => (tokens += r.delta?.tokenIds.length ?? 0));
    s.on('error', reject);
    s.on('end', () => resolve(tokens));
  });
}

const countLogs = (server: ServerUnderTest, re: RegExp): number => server.logs.filter((l) => re.test(l)).length;

describe('SIGKILL of the supervisor', () => {
  let server: ServerUnderTest | undefined;
  after(async () => {
    if (server && server.proc.exitCode === null && server.proc.signalCode === null) await server.stop('SIGKILL');
  });

  it('spawns the child with explicit arguments, a minimal environment and a private 0600 socket', async () => {
    server = await startServer({ args: ['--mode', 'all'], env: { TABAGENT_AUTH_TOKEN: '', RESILIENCE_MARKER: 'must-not-leak' } });
    const [pid] = server.childPids();
    assert.ok(pid !== undefined);
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((kv) => kv.slice(0, kv.indexOf('=')));
    assert.equal(env.includes('RESILIENCE_MARKER'), false, `the supervisor's environment leaked: ${env.join(',')}`);
    assert.ok(env.every((k) => ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR', 'NODE_OPTIONS'].includes(k)), env.join(','));
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const listen = argv[argv.indexOf('--listen') + 1] ?? '';
    assert.match(listen, /^unix:.+ml-1\.sock$/);
    assert.ok(argv.includes('--secret-stdin') && !argv.some((a) => a.length >= 32 && /^[\w-]+$/.test(a)), 'the secret is not on the command line');
    assert.equal(argv[argv.indexOf('--parent-pid') + 1], String(server.pid));
    const sock = listen.slice('unix:'.length);
    assert.equal(statSync(sock).mode & 0o777, 0o600);
    assert.equal(statSync(dirname(sock)).mode & 0o777, 0o700);
    assert.ok(server.logs.some((l) => l.includes('"msg":"ML child listening"') && l.includes(`"address":"${listen}"`)), 'the bound address is reported');
  });

  it('leaves no ML child behind: it exits by itself within 2 s', async () => {
    assert.ok(server);
    const kids = server.childPids();
    assert.equal(kids.length, 1, `expected one ML child, got ${kids.join(',')}`);
    const t0 = Date.now();
    server.proc.kill('SIGKILL');
    const gone = await waitGone(kids, 2000);
    const ms = Date.now() - t0;
    process.stdout.write(`ML child gone ${ms} ms after SIGKILL of the supervisor\n`);
    assert.equal(gone, true, `child ${kids.join(',')} still alive ${ms} ms after the supervisor was SIGKILLed`);
  });
});

describe('an ML child that crashes at start', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('ends FAILED after --max-restarts spawns with the stderr tail, health NOT_SERVING, no busy loop, and retries later', async () => {
    const dir = tempDir('tabagent-crash-');
    const entry = join(dir, 'crash.mjs');
    writeFileSync(entry, "process.stderr.write('fatal: cannot open the accelerator (test crash)\\n');\nprocess.exit(3);\n");
    server = await startServer({
      args: ['--mode', 'all', '--ml-entry', entry, '--max-restarts', '3', '--restart-window', '60', '--restart-retry', '3'],
      waitForChild: false,
    });
    c = connect(server.address);
    const st = await waitStatus(c, (s) => s.state === 'failed', 20_000);
    const exits = countLogs(server, /"msg":"ML child exited"/);
    assert.equal(exits, 3, 'exactly --max-restarts spawns before FAILED');
    assert.equal(st.restarts, 2);
    assert.match(st.lastError, /exited with code 3/);
    assert.match(st.lastError, /fatal: cannot open the accelerator \(test crash\)/);
    assert.equal(await health(server.address, ''), 'SERVING');
    assert.equal(await health(server.address, 'tabagent.ml'), 'NOT_SERVING');
    assert.equal(await health(server.address, 'tabagent.v1.Vision'), 'NOT_SERVING');
    assert.equal(await health(server.address, 'tabagent.v1.Text'), 'NOT_SERVING');

    // Calls fail fast with the reason instead of waiting for their deadline.
    const t0 = Date.now();
    const err = await expectGrpcError(call(c.vision, c.vision.detectFaces, DetectFacesRequest.fromPartial({ frame: { encoded: Buffer.from([0xff, 0xd8]) } }), { timeoutMs: 20_000 }));
    assert.equal(err.code, status.UNAVAILABLE);
    assert.equal(err.metadata.get(ERROR_CODE_KEY)[0], 'TA_ERR_CHILD_FAILED');
    assert.match(err.details, /test crash/);
    assert.ok(Date.now() - t0 < 5000, `FAILED call took ${Date.now() - t0} ms`);

    // No busy loop while FAILED: no further spawn before the retry time.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(countLogs(server, /"msg":"ML child exited"/), 3);
    // --restart-retry 3: one more attempt after 3 s.
    const end = Date.now() + 8000;
    while (countLogs(server, /"msg":"ML child exited"/) < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.ok(countLogs(server, /"msg":"ML child exited"/) >= 4, 'the later retry spawned again');
  });
});

describe('a hung ML child', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('is detected by the liveness Check, killed and replaced; its model is loaded again', async () => {
    server = await startServer({
      args: ['--mode', 'all', '--hang-timeout-ms', '1500', '--health-interval-ms', '250', '--shared-models-dir', join(sharedDir(), 'models')],
    });
    c = connect(server.address);
    const loaded = await call(c.models, c.models.loadModel, { model: STORIES, options: undefined });
    assert.equal(loaded.model?.state, ModelState.MODEL_STATE_READY);
    const [hung] = server.childPids();
    assert.ok(hung !== undefined);
    assert.equal(loaded.model?.childPid, hung);

    const t0 = Date.now();
    process.kill(hung, 'SIGSTOP');
    await server.waitForLog(/"msg":"ML child stopped answering; killing it"/, 15_000);
    const detectedMs = Date.now() - t0;
    const st = await waitStatus(c, (s) => s.state === 'ready' && s.restarts === 1, 20_000);
    process.stdout.write(`hang detected after ${detectedMs} ms, ready again after ${Date.now() - t0} ms\n`);
    assert.ok(detectedMs >= 1000, `killed after only ${detectedMs} ms`);
    assert.match(st.lastError, /stopped answering health checks/);
    assert.match(st.lastError, /killed by SIGKILL/);
    assert.equal(isAlive(hung), false, 'the hung child is gone');

    const kids = server.childPids();
    assert.equal(kids.length, 1);
    assert.notEqual(kids[0], hung);
    const info = await call(c.models, c.models.getModel, { model: STORIES });
    assert.equal(info.state, ModelState.MODEL_STATE_READY);
    assert.equal(info.childPid, kids[0], 'the model was loaded again on the new child');
    assert.equal(await generateTokens(c, 8), 8);
  });
});
