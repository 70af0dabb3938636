// PipelinePool: one call per instance, at most `size` instances, waiting calls served in order,
// disposal of idle instances at once and busy ones when their call ends; RunClock stage split.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VisionError } from '../../vision/errors.js';
import { PipelinePool } from './pipeline-pool.js';
import { RunClock } from './stage-clock.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PipelinePool', () => {
  it('gives each concurrent call its own instance up to the size, then queues in order', async () => {
    let created = 0;
    const destroyed: number[] = [];
    const pool = new PipelinePool<number>(() => ++created, (n) => { destroyed.push(n); }, 2);
    const gates = [deferred(), deferred(), deferred()];
    const order: string[] = [];
    const calls = gates.map((g, i) => pool.use(async (inst) => {
      order.push(`start ${i} on ${inst.value}`);
      await g.promise;
      order.push(`end ${i}`);
      return inst.value;
    }));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['start 0 on 1', 'start 1 on 2']);
    assert.equal(pool.size, 2);
    gates[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order.slice(2), ['end 1', 'start 2 on 2'], 'the waiting call gets the freed instance');
    gates[0]!.resolve();
    gates[2]!.resolve();
    assert.deepEqual(await Promise.all(calls), [1, 2, 2]);
    assert.equal(created, 2);
    await pool.dispose();
    assert.deepEqual(destroyed.sort(), [1, 2]);
    await assert.rejects(pool.use(async () => 0), (e: unknown) => e instanceof VisionError && e.code === 'VISION_DISPOSED');
  });

  it('disposes a busy instance when its call ends, and a failed call frees its instance', async () => {
    const destroyed: number[] = [];
    const pool = new PipelinePool<number>(() => 7, (n) => { destroyed.push(n); }, 1);
    await assert.rejects(pool.use(async () => { throw new Error('boom'); }), /boom/);
    const gate = deferred();
    const busy = pool.use(async (inst) => {
      await gate.promise;
      return inst.value;
    });
    await new Promise((r) => setImmediate(r));
    await pool.dispose();
    assert.deepEqual(destroyed, []);
    gate.resolve();
    assert.equal(await busy, 7);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(destroyed, [7]);
  });
});

describe('RunClock', () => {
  it('splits a call into time before/between runs, inference and time after the last run', () => {
    const clock = new RunClock();
    clock.reset(100);
    clock.record(103, 108);
    clock.record(110, 120);
    const s = clock.split(125);
    assert.deepEqual(s, { preprocessMs: 5, inferenceMs: 15, postprocessMs: 5 });
    clock.reset(0);
    assert.deepEqual(clock.split(4), { preprocessMs: 4, inferenceMs: 0, postprocessMs: 0 });
  });
});
