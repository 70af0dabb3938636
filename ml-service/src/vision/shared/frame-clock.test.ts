// FrameClock: caller timestamps pass through when they increase; missing or stale ones advance a frame.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VisionError } from '../errors.js';
import { DEFAULT_FRAME_INTERVAL_US, FrameClock } from './frame-clock.js';

test('increasing timestamps pass through; missing, repeated or earlier ones advance by one interval', () => {
  const clock = new FrameClock();
  assert.deepEqual(clock.next(1_000_000), { timestampUs: 1_000_000, smoothingUs: 1_000_000 });
  assert.deepEqual(clock.next(1_040_000), { timestampUs: 1_040_000, smoothingUs: 1_040_000 });
  assert.deepEqual(clock.next(1_040_000), { timestampUs: 1_040_000, smoothingUs: 1_040_000 + DEFAULT_FRAME_INTERVAL_US });
  assert.deepEqual(clock.next(0), { timestampUs: 0, smoothingUs: 1_040_000 + 2 * DEFAULT_FRAME_INTERVAL_US });
  assert.deepEqual(clock.next(), { timestampUs: 1_040_000 + 3 * DEFAULT_FRAME_INTERVAL_US, smoothingUs: 1_040_000 + 3 * DEFAULT_FRAME_INTERVAL_US });
  clock.reset();
  assert.deepEqual(clock.next(5), { timestampUs: 5, smoothingUs: 5 });
});

test('without timestamps the clock starts at 0 and ticks at the configured rate; bad input is rejected', () => {
  const clock = new FrameClock(40_000);
  assert.deepEqual([clock.next().smoothingUs, clock.next().smoothingUs, clock.next().timestampUs], [0, 40_000, 80_000]);
  assert.throws(() => clock.next(Number.POSITIVE_INFINITY), (e: unknown) => e instanceof VisionError && e.field === 'timestampUs');
  assert.throws(() => new FrameClock(0), RangeError);
});
