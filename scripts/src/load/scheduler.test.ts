// The in-flight scheduler against a fake call with a known service time: the number in flight, the
// throughput it measures, stopping on stability or at the window cap, and failures that return at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeLevel } from './level.js';
import { runLevel, windowStats } from './scheduler.js';
import type { Caller, Sample } from './types.js';

/** A fake server with `servers` parallel slots, each call taking `ms`; counts calls in flight. */
function fakeCall(ms: number, servers = Infinity): { call: Caller; maxInFlight: () => number; workers: Set<number> } {
  let inFlight = 0;
  let max = 0;
  let busy = 0;
  const queue: Array<() => void> = [];
  const workers = new Set<number>();
  const call: Caller = async (worker) => {
    workers.add(worker);
    const startMs = performance.now();
    inFlight += 1;
    max = Math.max(max, inFlight);
    if (busy >= servers) await new Promise<void>((r) => queue.push(r));
    busy += 1;
    await new Promise((r) => setTimeout(r, ms));
    busy -= 1;
    queue.shift()?.();
    inFlight -= 1;
    return { startMs, endMs: performance.now(), ok: true, code: 'OK' };
  };
  return { call, maxInFlight: () => max, workers };
}

describe('runLevel (concurrency mode)', () => {
  it('keeps exactly N calls in flight, one per worker', async () => {
    const f = fakeCall(10);
    const run = await runLevel(f.call, { concurrency: 4, windowMs: 100, maxWindows: 3, tolerance: 1 });
    assert.equal(f.maxInFlight(), 4);
    assert.equal(run.maxInFlight, 4);
    assert.deepEqual([...f.workers].sort(), [0, 1, 2, 3]);
  });

  it('measures the throughput a fixed service time allows: N / service time', async () => {
    const f = fakeCall(20, 2); // 2 parallel slots of 20 ms: ~100 calls/s whatever the concurrency above 2
    const run = await runLevel(f.call, { concurrency: 4, windowMs: 200, maxWindows: 6, tolerance: 0.3, warmupMs: 50 });
    const row = summarizeLevel('fake', 4, run);
    assert.ok(row.throughput > 60 && row.throughput <= 105, `throughput ${row.throughput}`);
    // Four in flight on two slots: a call waits about one service time before its own.
    assert.ok(row.latency.p50 >= 35 && row.latency.p50 < 80, `p50 ${row.latency.p50}`);
    assert.equal(row.ok, run.counted.length);
    assert.deepEqual(row.errors, {});
  });

  it('stops as soon as the last three windows agree, and at the window cap when they never do', async () => {
    const steady = await runLevel(fakeCall(5).call, { concurrency: 2, windowMs: 60, maxWindows: 10, tolerance: 0.5 });
    assert.equal(steady.stable, true);
    assert.ok(steady.windows.length >= 3 && steady.windows.length < 10, `${steady.windows.length} windows`);
    // Service time grows with every call: throughput keeps falling, never stable within 1%.
    let n = 0;
    const slowing: Caller = async () => {
      const startMs = performance.now();
      await new Promise((r) => setTimeout(r, 1 + n++));
      return { startMs, endMs: performance.now(), ok: true, code: 'OK' };
    };
    const drifting = await runLevel(slowing, { concurrency: 1, windowMs: 50, maxWindows: 4, tolerance: 0.01 });
    assert.equal(drifting.stable, false);
    assert.equal(drifting.windows.length, 4);
  });

  it('calls that fail at once do not starve the windows; they are counted by code', async () => {
    const refuse: Caller = () => Promise.resolve<Sample>({ startMs: performance.now(), endMs: performance.now(), ok: false, code: 'RESOURCE_EXHAUSTED' });
    const run = await runLevel(refuse, { concurrency: 16, windowMs: 50, maxWindows: 3, tolerance: 0.5 });
    const row = summarizeLevel('refused', 16, run);
    assert.equal(row.ok, 0);
    assert.equal(row.throughput, 0);
    assert.ok((row.errors['RESOURCE_EXHAUSTED'] ?? 0) > 16);
  });

  it('with a retry cap, a worker refused with retry advice waits before calling again', async () => {
    let calls = 0;
    const refuse: Caller = () => {
      calls += 1;
      return Promise.resolve<Sample>({ startMs: performance.now(), endMs: performance.now(), ok: false, code: 'RESOURCE_EXHAUSTED', retryAfterMs: 500 });
    };
    const run = await runLevel(refuse, { concurrency: 4, windowMs: 50, maxWindows: 3, tolerance: 0.5, retryAfterCapMs: 40 });
    // 150 ms of windows, 4 workers each calling at most every 40 ms (the cap, not the advised 500 ms).
    assert.ok(calls >= 8 && calls <= 4 * (150 / 40 + 2), `${calls} calls`);
    assert.ok(run.counted.length <= calls);
  });

  it('a caller that throws becomes a CLIENT_ERROR sample, not a crash', async () => {
    const run = await runLevel(() => Promise.reject(new Error('boom')), { concurrency: 2, windowMs: 30, maxWindows: 3, tolerance: 0.5 });
    assert.ok(run.counted.every((s) => s.code === 'CLIENT_ERROR' && s.message === 'boom'));
    assert.ok(run.counted.length > 0);
  });

  it('windowStats counts the calls that ended inside the window', () => {
    const s = (start: number, end: number, ok = true): Sample => ({ startMs: start, endMs: end, ok, code: ok ? 'OK' : 'UNAVAILABLE' });
    const st = windowStats([s(0, 5), s(2, 12), s(8, 18, false), s(15, 25)], 10, 20);
    assert.deepEqual(st, { throughput: 100, meanLatencyMs: 10, calls: 2 });
  });
});
