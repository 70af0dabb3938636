// Unit tests of LRU eviction: the incoming model's size counts against the budget.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickEvictions } from './eviction.js';
import { newRecord, type ModelRecord } from './model-record.js';

function rec(id: string, memoryBytes: number, lastUsedMs: number, inFlight = 0): ModelRecord {
  return { ...newRecord(id), state: 'ready', memoryBytes, lastUsedMs, inFlight };
}

describe('pickEvictions', () => {
  const loaded = [rec('a', 100, 1), rec('b', 200, 2), rec('c', 300, 3)];

  it('evicts until loaded + incoming fits the budget, oldest first', () => {
    assert.deepEqual(pickEvictions(loaded, 'new', 0, { maxLoaded: 0, budgetBytes: 1000 }), []);
    assert.deepEqual(pickEvictions(loaded, 'new', 400, { maxLoaded: 0, budgetBytes: 1000 }), []);
    assert.deepEqual(pickEvictions(loaded, 'new', 401, { maxLoaded: 0, budgetBytes: 1000 }), ['a']);
    assert.deepEqual(pickEvictions(loaded, 'new', 650, { maxLoaded: 0, budgetBytes: 1000 }), ['a', 'b']);
  });

  it('counts max-loaded with the incoming model and skips busy and kept models', () => {
    assert.deepEqual(pickEvictions(loaded, 'new', 0, { maxLoaded: 3, budgetBytes: 0 }), ['a']);
    const busy = [rec('a', 100, 1, 1), rec('b', 200, 2), rec('c', 300, 3)];
    assert.deepEqual(pickEvictions(busy, 'new', 0, { maxLoaded: 2, budgetBytes: 0 }), ['b', 'c']);
    assert.deepEqual(pickEvictions(loaded, 'a', 0, { maxLoaded: 2, budgetBytes: 0 }), ['b']);
  });

  it('returns fewer than needed when the rest are busy', () => {
    const busy = [rec('a', 100, 1, 1), rec('b', 200, 2, 2)];
    assert.deepEqual(pickEvictions(busy, 'new', 5000, { maxLoaded: 0, budgetBytes: 1000 }), []);
  });
});
