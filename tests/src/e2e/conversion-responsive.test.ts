// End-to-end: converting a model at pull time does not stall the supervisor. One client pulls
// BlazePose heavy (the largest default TFJS graph, converted to ONNX at pull time) into a fresh
// cache while another client calls the standard health Check in a tight loop; the largest gap
// between two answers during the conversion stays far below the conversion's own duration (a
// conversion on the supervisor's main thread holds every answer back for its whole run).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { ModelState, PullStage, type PullProgress } from '@tabagent/protos/v1/model_management';
import { AnswerLoop } from '../support/answer-gaps.js';
import { call, connect, type PublicClients } from '../support/clients.js';
import { startServer, tempDir, type ServerUnderTest } from '../support/server-process.js';

const MODEL = 'mediapipe/pose-landmark-heavy';
/** Generous: the conversion itself takes 1.5-3 s here; answers keep coming every few ms. */
const MAX_GAP_MS = 1000;

interface Stamped {
  readonly at: number;
  readonly event: PullProgress;
}

function collect(stream: ClientReadableStream<PullProgress>): Promise<Stamped[]> {
  const out: Stamped[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (event: PullProgress) => out.push({ at: performance.now(), event }));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}

describe('a conversion at pull time keeps the supervisor responsive', () => {
  let server: ServerUnderTest;
  let c: PublicClients;
  let work: string;

  before(async () => {
    work = tempDir('tabagent-convert-gap-');
    server = await startServer({ args: ['--cache-dir', join(work, 'cache')] });
    c = connect(server.address);
  });
  after(async () => {
    c?.close();
    if (server) await server.stop('SIGTERM');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('health Checks are answered without a long gap while BlazePose heavy converts', async (t) => {
    const loop = new AnswerLoop(server.address);
    let events: Stamped[];
    try {
      events = await collect(c.models.pullModel({ model: MODEL, force: false }));
    } finally {
      await loop.stop();
    }
    const converting = events.filter((e) => e.event.stage === PullStage.PULL_STAGE_CONVERTING);
    const done = events.at(-1);
    assert.equal(done?.event.stage, PullStage.PULL_STAGE_DONE);
    assert.ok(converting.length >= 2, `conversion progress events: ${converting.length}`);
    const first = converting[0]!;
    const last = converting.at(-1)!;
    assert.equal(first.event.bytesDone, 0);
    assert.equal(last.event.bytesDone, last.event.bytesTotal, 'the last conversion progress event reports completion');
    assert.ok(last.event.bytesTotal > 27_000_000, `bytesTotal ${last.event.bytesTotal}`);

    const { answers, maxGapMs } = loop.gapsWithin(first.at, done!.at);
    const convertMs = done!.at - first.at;
    t.diagnostic(`conversion ${convertMs.toFixed(0)} ms; ${answers} health answers during it; largest gap ${maxGapMs.toFixed(1)} ms`);
    assert.equal(loop.failures, 0);
    assert.ok(answers >= 10, `only ${answers} answers during a ${convertMs.toFixed(0)} ms conversion`);
    assert.ok(maxGapMs < MAX_GAP_MS, `largest gap between health answers during the conversion: ${maxGapMs.toFixed(0)} ms`);

    const info = await call(c.models, c.models.getModel, { model: MODEL });
    assert.equal(info.state, ModelState.MODEL_STATE_PULLED);
    assert.ok(info.sizeBytes > 50_000_000, `size ${info.sizeBytes}`);
  });
});
