import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCounts, okLatencies, percentile, percentiles } from './percentiles.js';
import type { Sample } from './types.js';

describe('percentile', () => {
  it('interpolates linearly between ranks, as numpy.percentile does', () => {
    const xs = [15, 20, 35, 40, 50];
    assert.equal(percentile(xs, 0), 15);
    assert.equal(percentile(xs, 100), 50);
    assert.equal(percentile(xs, 50), 35);
    assert.equal(percentile(xs, 40), 29); // rank 1.6: 20 + 0.6 × 15
    assert.ok(Math.abs(percentile(xs, 90) - 46) < 1e-9); // rank 3.6: 40 + 0.6 × 10
  });

  it('does not depend on the order of the input and leaves it unchanged', () => {
    const xs = [9, 1, 5, 3, 7];
    assert.equal(percentile(xs, 50), 5);
    assert.deepEqual(xs, [9, 1, 5, 3, 7]);
  });

  it('p99 of 1..100 is 99.01; one value is every percentile; empty is NaN', () => {
    const p = percentiles(Array.from({ length: 100 }, (_, i) => i + 1));
    assert.ok(Math.abs(p.p99 - 99.01) < 1e-9);
    assert.equal(p.p50, 50.5);
    assert.ok(Math.abs(p.p90 - 90.1) < 1e-9);
    assert.deepEqual(percentiles([4]), { p50: 4, p90: 4, p99: 4 });
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('refuses a percentile outside 0..100', () => {
    assert.throws(() => percentile([1], 101), /outside 0\.\.100/);
    assert.throws(() => percentile([1], Number.NaN), RangeError);
  });
});

describe('sample summaries', () => {
  const s = (ok: boolean, code: string, ms: number): Sample => ({ startMs: 100, endMs: 100 + ms, ok, code });
  it('counts failures by code and takes latencies of successes only', () => {
    const samples = [s(true, 'OK', 5), s(false, 'RESOURCE_EXHAUSTED', 1), s(false, 'RESOURCE_EXHAUSTED', 1), s(false, 'HTTP 503', 2), s(true, 'OK', 7)];
    assert.deepEqual(errorCounts(samples), { RESOURCE_EXHAUSTED: 2, 'HTTP 503': 1 });
    assert.deepEqual(okLatencies(samples), [5, 7]);
  });
});
