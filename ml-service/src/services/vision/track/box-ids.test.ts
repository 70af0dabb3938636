// BoxIds and boxIou: ids follow overlapping boxes from frame to frame, new boxes get new ids.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoxIds, boxIou } from './box-ids.js';

const box = (xmin: number, ymin: number, width = 0.2, height = 0.2) => ({ xmin, ymin, width, height });

describe('boxIou', () => {
  it('measures overlap in pixels', () => {
    assert.equal(boxIou(box(0, 0), box(0, 0)), 1);
    assert.equal(boxIou(box(0, 0), box(0.5, 0.5)), 0);
    // Half overlap along x: intersection 0.1 × 0.2, union 0.06.
    assert.ok(Math.abs(boxIou(box(0, 0), box(0.1, 0)) - 0.02 / 0.06) < 1e-12);
    // Aspect matters: on a 2:1 image the same normalized boxes still overlap by the same ratio.
    assert.ok(Math.abs(boxIou(box(0, 0), box(0.1, 0), 200, 100) - 1 / 3) < 1e-12);
  });
});

describe('BoxIds', () => {
  it('keeps ids of moving boxes, swaps order correctly and numbers new boxes', () => {
    const ids = new BoxIds();
    assert.deepEqual(ids.assign([box(0.1, 0.1), box(0.6, 0.6)]), [1, 2]);
    // Both moved a little and come back in the other order.
    assert.deepEqual(ids.assign([box(0.62, 0.61), box(0.12, 0.1)]), [2, 1]);
    // One disappears, a new one appears far away.
    assert.deepEqual(ids.assign([box(0.13, 0.11), box(0.4, 0.8)]), [1, 3]);
    // Two boxes on one old box: the better overlap keeps the id.
    assert.deepEqual(ids.assign([box(0.2, 0.11), box(0.13, 0.11)]), [4, 1]);
    ids.reset();
    assert.deepEqual(ids.assign([box(0.13, 0.11)]), [5]);
  });
});
