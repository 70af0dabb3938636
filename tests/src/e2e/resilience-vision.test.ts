// End-to-end: vision under child failures, with mediapipe/face-detection-short on portrait.jpg.
// (a) 8 concurrent clients call DetectFaces for 20 s while the serving ML child is SIGKILLed every 3 s: no
// call outlives its deadline, at least 99% succeed, the model is loaded again after every restart.
// (b) a Track stream of 100 frames survives a SIGKILL of the child: every frame is answered once
// (a result, a skipped timestamp, or "dropped: restarting"), and tracking resumes on the new child.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY } from '@tabagent/common';
import { ModelState } from '@tabagent/protos/v1/model_management';
import { DetectFacesRequest, TrackRequest, TrackTask, type TrackResponse } from '@tabagent/protos/v1/vision';
import { call, connect, type PublicClients } from '../support/clients.js';
import { testImage } from '../support/paths.js';
import { startServer, waitServing, type ServerUnderTest } from '../support/server-process.js';

const FACE = 'mediapipe/face-detection-short';
const CLIENTS = 8;
const RUN_MS = 20_000;
const KILL_EVERY_MS = 3_000;
const DEADLINE_MS = 8_000;
/** How long a new child serves before it is killed. */
const SERVED_BEFORE_KILL_MS = 500;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('vision while the ML child is killed', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  const portrait = readFileSync(testImage('portrait.jpg'));

  before(async () => {
    // Kills every 3 s are not a crash loop here: allow them, and keep restarts at the shortest delay.
    server = await startServer({ args: ['--mode', 'all', '--max-restarts', '100', '--stable-after-ms', '500', '--keep-alive', '-1'] });
    c = connect(server.address);
    const loaded = await call(c.models, c.models.loadModel, { model: FACE, options: undefined });
    assert.equal(loaded.model?.state, ModelState.MODEL_STATE_READY);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
  });

  it('(a) 8 clients for 20 s with a SIGKILL every 3 s: ≥ 99% succeed, none outlives its deadline', async () => {
    const req = DetectFacesRequest.fromPartial({ frame: { encoded: portrait } });
    const outcome = { ok: 0, failed: 0, maxMs: 0, codes: new Map<string, number>() };
    const end = Date.now() + RUN_MS;
    const clientLoop = async (): Promise<void> => {
      while (Date.now() < end) {
        const t0 = Date.now();
        try {
          const res = await call(c.vision, c.vision.detectFaces, req, { timeoutMs: DEADLINE_MS });
          assert.equal(res.faces.length, 1);
          outcome.ok += 1;
        } catch (err) {
          const e = err as ServiceError;
          const key = `${e.code}:${String(e.metadata?.get(ERROR_CODE_KEY)[0] ?? '')}:${e.details}`;
          outcome.codes.set(key, (outcome.codes.get(key) ?? 0) + 1);
          outcome.failed += 1;
        }
        outcome.maxMs = Math.max(outcome.maxMs, Date.now() - t0);
      }
    };
    const killed: number[] = [];
    // Each kill hits a child that serves the calls (one still starting has none to lose): at least
    // KILL_EVERY_MS after the last kill, once the next child is SERVING and has had calls for a moment.
    const killer = async (): Promise<void> => {
      for (let next = end - RUN_MS + KILL_EVERY_MS; next < end; next = Date.now() + KILL_EVERY_MS) {
        await sleep(next - Date.now());
        await waitServing(server.address, 'tabagent.ml', Math.max(1, end - Date.now())).catch(() => undefined);
        await sleep(SERVED_BEFORE_KILL_MS);
        const [pid] = server.childPids();
        if (Date.now() >= end || pid === undefined) break;
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      }
    };
    await Promise.all([killer(), ...Array.from({ length: CLIENTS }, clientLoop)]);
    const total = outcome.ok + outcome.failed;
    process.stdout.write(`vision under kills: ${outcome.ok}/${total} ok, ${outcome.failed} failed, ${killed.length} kills, slowest ${outcome.maxMs} ms; failures: ${JSON.stringify([...outcome.codes])}\n`);
    // Fewer on a loaded machine, where a restart can take longer than KILL_EVERY_MS.
    assert.ok(killed.length >= 4, `only ${killed.length} kills`);
    assert.ok(outcome.maxMs <= DEADLINE_MS + 1000, `a call took ${outcome.maxMs} ms with a ${DEADLINE_MS} ms deadline`);
    // Enough calls that one failure breaks the 99% bar. Not a speed check: on a loaded 2-core runner
    // sharing the cores with another test file, 130-300 calls were seen (670 alone).
    assert.ok(total >= 60, `only ${total} calls in ${RUN_MS} ms`);
    assert.ok(outcome.ok / total >= 0.99, `${outcome.ok}/${total} succeeded; failures: ${JSON.stringify([...outcome.codes])}`);

    // Every restarted child loaded the model between reporting SERVING and counting as ready.
    await waitServing(server.address, 'tabagent.ml', 30_000);
    let reloading = false;
    let reloaded = false;
    let readyAfterReload = 0;
    for (const line of server.logs) {
      if (line.includes('"msg":"ML child serving; reloading models"')) [reloading, reloaded] = [true, false];
      else if (reloading && line.includes('"msg":"model ready"') && line.includes(FACE)) reloaded = true;
      else if (reloading && line.includes('"msg":"ML child ready"') && !line.includes('"generation":1,')) {
        assert.ok(reloaded, `a child became ready without the model: ${line}`);
        readyAfterReload += 1;
        reloading = false;
      }
    }
    assert.ok(readyAfterReload >= killed.length, `${readyAfterReload} children became ready again after ${killed.length} kills`);
    const info = await call(c.models, c.models.getModel, { model: FACE });
    assert.equal(info.state, ModelState.MODEL_STATE_READY);
    assert.equal(info.childPid, server.childPids()[0]);
  });

  it('(b) a Track stream of 100 frames survives a SIGKILL of the child', async () => {
    await waitServing(server.address, 'tabagent.ml', 30_000);
    const stream = c.vision.track(new Metadata(), { deadline: new Date(Date.now() + 60_000) });
    const results = new Map<number, TrackResponse>();
    const skipped = new Set<number>();
    const statuses = new Map<number, string>();
    const duplicates: number[] = [];
    const account = (ts: number): void => {
      if (results.has(ts) || skipped.has(ts) || statuses.has(ts)) duplicates.push(ts);
    };
    const ended = new Promise<ServiceError | undefined>((resolve) => {
      stream.on('data', (r: TrackResponse) => {
        for (const ts of r.droppedTimestampsUs) {
          account(ts);
          skipped.add(ts);
        }
        account(r.timestampUs);
        if (r.status) statuses.set(r.timestampUs, r.status);
        else results.set(r.timestampUs, r);
      });
      stream.on('error', (e: ServiceError) => resolve(e));
      stream.on('end', () => resolve(undefined));
    });
    const frame = (i: number): TrackRequest => TrackRequest.fromPartial({
      timestampUs: (i + 1) * 33_333, task: TrackTask.TRACK_TASK_FACES, frame: { encoded: portrait },
      ...(i === 0 ? { options: { detectEvery: 5, faces: { maxFaces: 1 } } } : {}),
    });
    let killedAt = 0;
    for (let i = 0; i < 100; i++) {
      if (i === 30) {
        const [pid] = server.childPids();
        assert.ok(pid !== undefined);
        process.kill(pid, 'SIGKILL');
        killedAt = i;
      }
      // After the frames sent during the restart, wait for the new child so the last 40 show tracking resumed.
      if (i === 60) await waitServing(server.address, 'tabagent.ml', 30_000);
      stream.write(frame(i));
      await sleep(40);
    }
    stream.end();
    const err = await ended;
    assert.equal(err, undefined, `the stream failed: ${err?.code} ${err?.details}`);
    assert.equal(killedAt, 30);
    assert.deepEqual(duplicates, [], 'no frame answered twice');
    const all = Array.from({ length: 100 }, (_, i) => (i + 1) * 33_333);
    const missing = all.filter((ts) => !results.has(ts) && !skipped.has(ts) && !statuses.has(ts));
    assert.deepEqual(missing, [], 'every frame is accounted for');
    const restarting = [...statuses.values()].filter((s) => s === 'dropped: restarting').length;
    assert.ok(restarting >= 1, `statuses: ${JSON.stringify([...statuses])}`);
    assert.deepEqual([...new Set(statuses.values())], ['dropped: restarting']);
    const before = all.slice(0, 30).filter((ts) => results.get(ts)?.faces?.faces.length === 1).length;
    const resumed = all.slice(60).filter((ts) => results.get(ts)?.faces?.faces.length === 1).length;
    process.stdout.write(`track across a kill: ${results.size} results, ${skipped.size} skipped, ${restarting} dropped while restarting; faces before ${before}/30, after ${resumed}/40\n`);
    assert.ok(before >= 10, `only ${before} of the first 30 frames had a face`);
    assert.ok(resumed >= 10, `tracking did not resume: ${resumed} of the last 40 frames had a face`);
  });
});
