// Unit tests of BatchTally: counts per model and batch size, reported sorted and cumulatively.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchTally } from './batch-tally.js';

describe('BatchTally', () => {
  it('counts model calls by model and batch size, sorted, and keeps counting', () => {
    const t = new BatchTally();
    assert.deepEqual(t.snapshot(), []);
    t.record('use', 4);
    t.record('gguf', 1);
    t.record('use', 1);
    t.record('use', 4);
    assert.deepEqual(t.snapshot(), [
      { model: 'gguf', size: 1, count: 1 },
      { model: 'use', size: 1, count: 1 },
      { model: 'use', size: 4, count: 2 },
    ]);
    t.record('use', 4);
    assert.equal(t.snapshot().find((b) => b.model === 'use' && b.size === 4)?.count, 3);
  });
});
