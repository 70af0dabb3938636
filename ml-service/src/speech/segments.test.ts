// Unit tests of segmentsOf: open ends, clamping to the audio, order, empty chunks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { segmentsOf } from './segments.js';

describe('segmentsOf', () => {
  it('keeps ordered chunks as they are, trimmed', () => {
    assert.deepEqual(segmentsOf([{ text: ' Hello world.', timestamp: [0, 1.2] }, { text: ' The fox.', timestamp: [1.2, 2] }], 2.3), [
      { start: 0, end: 1.2, text: 'Hello world.' },
      { start: 1.2, end: 2, text: 'The fox.' },
    ]);
  });

  it('closes an open end at the audio end and clamps times to the audio', () => {
    assert.deepEqual(segmentsOf([{ text: 'a', timestamp: [0.5, 9] }, { text: 'b', timestamp: [9, null] }], 3), [
      { start: 0.5, end: 3, text: 'a' },
      { start: 3, end: 3, text: 'b' },
    ]);
    assert.deepEqual(segmentsOf([{ text: 'c', timestamp: [null, null] }], 2), [{ start: 0, end: 2, text: 'c' }]);
  });

  it('never lets a segment start before the previous end, and drops empty chunks', () => {
    const s = segmentsOf([{ text: 'x', timestamp: [0, 1.5] }, { text: '  ', timestamp: [1.5, 1.7] }, { text: 'y', timestamp: [1.0, 1.4] }], 4);
    assert.deepEqual(s, [{ start: 0, end: 1.5, text: 'x' }, { start: 1.5, end: 1.5, text: 'y' }]);
  });
});
