import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStable, withinTolerance, type WindowStats } from './stability.js';

const w = (throughput: number, meanLatencyMs: number, calls = 10): WindowStats => ({ throughput, meanLatencyMs, calls });

describe('stability of measurement windows', () => {
  it('withinTolerance: every value within ±tolerance of the mean', () => {
    assert.equal(withinTolerance([100, 105, 95], 0.1), true);
    assert.equal(withinTolerance([100, 130, 95], 0.1), false); // mean 108.3, 130 is 20% above
    assert.equal(withinTolerance([100, Number.NaN], 0.5), false);
    assert.equal(withinTolerance([], 0.5), false);
  });

  it('needs `count` windows, and looks only at the last ones', () => {
    assert.equal(isStable([w(100, 10), w(101, 10)], 0.1), false);
    assert.equal(isStable([w(10, 90), w(100, 10), w(101, 10), w(99, 10)], 0.1), true);
    assert.equal(isStable([w(100, 10), w(101, 10), w(99, 10), w(50, 20)], 0.1), false);
  });

  it('throughput and latency must both agree', () => {
    assert.equal(isStable([w(100, 10), w(100, 10), w(100, 14)], 0.1), false);
    assert.equal(isStable([w(100, 10), w(100, 10), w(100, 14)], 0.25), true); // 14 is 23.5% above the mean 11.3
  });

  it('a window in which nothing finished is never stable; windows with only failures are', () => {
    assert.equal(isStable([w(100, 10), w(100, 10), w(0, Number.NaN, 0)], 0.5), false);
    assert.equal(isStable([w(0, Number.NaN, 40), w(0, Number.NaN, 38), w(0, Number.NaN, 41)], 0.1), true);
  });
});
