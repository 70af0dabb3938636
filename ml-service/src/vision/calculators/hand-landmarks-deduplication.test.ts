// Hand deduplication: a slightly shifted copy of a hand is dropped, a hand elsewhere is kept.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Point2 } from '../types.js';
import { deduplicateHands } from './hand-landmarks-deduplication.js';

const image = { width: 640, height: 480 };
/** 21 points on a 0.2 × 0.3 patch with its top-left at (x, y). */
const hand = (x: number, y: number, name: string): { name: string; landmarks: Point2[] } => ({
  name,
  landmarks: Array.from({ length: 21 }, (_, i) => ({ x: x + (i % 5) * 0.05, y: y + Math.floor(i / 5) * 0.06 })),
});

describe('hand landmarks deduplication', () => {
  it('drops a near copy, keeps the first of them and a separate hand', () => {
    const kept = deduplicateHands([hand(0.1, 0.1, 'a'), hand(0.105, 0.102, 'copy'), hand(0.6, 0.5, 'b')], image);
    assert.deepEqual(kept.map((h) => h.name), ['a', 'b']);
  });

  it('keeps an overlapping hand whose landmarks do not correspond', () => {
    const shifted = hand(0.16, 0.1, 'shifted'); // overlaps a's box (IoU > 0.2), landmarks a column apart
    assert.deepEqual(deduplicateHands([hand(0.1, 0.1, 'a'), shifted], image).map((h) => h.name), ['a', 'shifted']);
  });

  it('rejects a hand without 21 landmarks', () => {
    assert.throws(() => deduplicateHands([{ landmarks: [{ x: 0, y: 0 }] }], image), /21 landmarks/);
  });
});
