// Unit tests of the 1€ filter and the landmarks smoother against hand-computed values.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LandmarksSmoother, objectScale, SMOOTHING_PRESETS } from './landmarks-smoother.js';
import { OneEuroFilter } from './one-euro.js';

const T0 = 1_000_000;
const alphaFor = (cutoffHz: number, rateHz: number): number => 1 / (1 + 1 / (2 * Math.PI * cutoffHz) / (1 / rateHz));
const near = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('OneEuroFilter', () => {
  it('passes the first sample through and smooths the next with the computed alpha', () => {
    const f = new OneEuroFilter({ minCutoff: 1, beta: 0 });
    assert.equal(f.apply(0, T0), 0);
    // 30 Hz from the timestamps (33,333 µs apart rounds the rate slightly; use exact 1e6/30).
    const dt = 1e6 / 30;
    near(f.apply(1, T0 + dt), alphaFor(1, 30));
  });

  it('derives the rate from timestamps', () => {
    const f = new OneEuroFilter({ minCutoff: 1, beta: 0, frequency: 30 });
    f.apply(0, T0);
    near(f.apply(1, T0 + 100_000), alphaFor(1, 10)); // 10 Hz: alpha ≈ 0.3859
    near(alphaFor(1, 10), 0.38587, 1e-5);
  });

  it('raises the cutoff with speed when beta > 0 (less lag)', () => {
    const slow = new OneEuroFilter({ minCutoff: 0.05, beta: 0 });
    const fast = new OneEuroFilter({ minCutoff: 0.05, beta: 80 });
    let a = 0;
    let b = 0;
    for (let k = 0; k < 10; k++) {
      const t = T0 + k * 33_333;
      a = slow.apply(k * 0.1, t);
      b = fast.apply(k * 0.1, t);
    }
    assert.ok(0.9 - a > 0.5, `beta 0 lags far behind: ${a}`);
    assert.ok(0.9 - b < 0.15, `beta 80 follows closely: ${b}`);
  });

  it('returns the raw value for a timestamp that does not increase, keeping its state', () => {
    const f = new OneEuroFilter({ minCutoff: 1, beta: 0 });
    f.apply(0, T0);
    assert.equal(f.apply(5, T0), 5);
    near(f.apply(1, T0 + 1e6 / 30), alphaFor(1, 30));
  });

  it('keeps a constant signal constant', () => {
    const f = new OneEuroFilter(SMOOTHING_PRESETS.landmarks);
    for (let k = 0; k < 20; k++) assert.equal(f.apply(3.25, T0 + k * 33_333), 3.25);
  });

  it('rejects invalid parameters', () => {
    assert.throws(() => new OneEuroFilter({ minCutoff: 0 }), RangeError);
    assert.throws(() => new OneEuroFilter({ beta: -1 }), RangeError);
    assert.throws(() => new OneEuroFilter({ frequency: Number.NaN }), RangeError);
  });
});

describe('LandmarksSmoother', () => {
  const base = [
    { x: 0.4, y: 0.4, z: 0, visibility: 0.9 },
    { x: 0.6, y: 0.6, z: 0.01, visibility: 0.8 },
  ];

  it('reduces jitter of a still object and passes visibility through', () => {
    // Pure low-pass (beta 0, 1 Hz at 30 Hz, alpha 0.173): alternating noise shrinks to a/(2-a) ≈ 9.5%.
    const s = new LandmarksSmoother({ minCutoff: 1, beta: 0 });
    const image = { width: 640, height: 480 };
    let rawErr = 0;
    let smoothErr = 0;
    for (let k = 0; k < 60; k++) {
      const jitter = (k % 2 === 0 ? 1 : -1) * 0.004; // ±2.6 px alternating noise
      const noisy = base.map((p) => ({ ...p, x: p.x + jitter, y: p.y - jitter }));
      const out = s.apply(noisy, T0 + k * 33_333, image);
      assert.equal(out[0]!.visibility, 0.9);
      if (k >= 30) {
        rawErr += Math.abs(noisy[0]!.x - base[0]!.x);
        smoothErr += Math.abs(out[0]!.x - base[0]!.x);
      }
    }
    const a = alphaFor(1, 30);
    near(smoothErr / rawErr, a / (2 - a), 1e-3);
  });

  it('filters in pixel units with speed scaled by object size', () => {
    // Same motion seen in a larger image is the same relative motion: identical normalized output.
    const run = (w: number, h: number): number => {
      const s = new LandmarksSmoother({ minCutoff: 0.05, beta: 80 });
      let last = 0;
      for (let k = 0; k < 5; k++) last = s.apply(base.map((p) => ({ ...p, x: p.x + 0.01 * k })), T0 + k * 33_333, { width: w, height: h })[0]!.x;
      return last;
    };
    near(run(640, 480), run(1280, 960), 1e-9);
    near(objectScale(base, 640, 480), (0.2 * 640 + 0.2 * 480) / 2, 1e-9);
  });

  it('resets when the landmark count changes or the list is empty', () => {
    const s = new LandmarksSmoother({ minCutoff: 0.01, beta: 0 });
    s.apply(base, T0);
    const moved = base.map((p) => ({ ...p, x: p.x + 0.1 }));
    const smoothed = s.apply(moved, T0 + 33_333);
    assert.ok(smoothed[0]!.x < moved[0]!.x - 0.09, 'heavy smoothing holds the old position');
    assert.deepEqual(s.apply([], T0 + 66_666), []);
    const fresh = s.apply(moved, T0 + 99_999);
    near(fresh[0]!.x, moved[0]!.x);
    const three = s.apply([...moved, { x: 0.1, y: 0.1, z: 0 }], T0 + 133_332);
    near(three[2]!.x, 0.1);
  });

  it('smooths world landmarks without value scaling', () => {
    const s = new LandmarksSmoother(SMOOTHING_PRESETS.world);
    s.apply([{ x: 0, y: 0, z: 0 }, { x: 0.5, y: 0, z: 0 }], T0);
    const out = s.apply([{ x: 0.1, y: 0, z: 0 }, { x: 0.6, y: 0, z: 0 }], T0 + 1e6 / 30);
    // Speed 3 m/s: derivative EMA alpha(1 Hz) = 0.1732 → 0.52 m/s; cutoff 0.1 + 40·0.52 = 20.9 Hz.
    const edx = alphaFor(1, 30) * 3;
    near(out[0]!.x, alphaFor(0.1 + 40 * edx, 30) * 0.1, 1e-9);
  });
});
