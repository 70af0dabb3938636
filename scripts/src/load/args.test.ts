import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLoadArgs, WORKLOADS } from './args.js';

describe('bench:load flags', () => {
  it('defaults: every workload at 1, 2, 4, 8, 16 with 1 s windows', () => {
    const a = parseLoadArgs([]);
    assert.deepEqual(a.workloads, WORKLOADS);
    assert.deepEqual(a.levels, [1, 2, 4, 8, 16]);
    assert.equal(a.windowMs, 1000);
    assert.equal(a.queueSize, undefined);
  });

  it('flags (spaced or with =) win over the environment', () => {
    const a = parseLoadArgs(['--workloads', 'embed,generate', '--levels=1,16', '--window-ms', '500'], { TABAGENT_LOAD_WINDOW_MS: '2000', TABAGENT_LOAD_TOKENS: '8' });
    assert.deepEqual(a.workloads, ['embed', 'generate']);
    assert.deepEqual(a.levels, [1, 16]);
    assert.equal(a.windowMs, 500);
    assert.equal(a.tokens, 8);
  });

  it('refuses unknown workloads and flags, and bad numbers, naming them', () => {
    assert.throws(() => parseLoadArgs(['--workloads', 'faces']), /--workloads: unknown workload "faces"/);
    assert.throws(() => parseLoadArgs(['--speed', '3']), /unknown flag --speed/);
    assert.throws(() => parseLoadArgs(['--levels', '1,0']), /--levels must be a positive integer, got "0"/);
    assert.throws(() => parseLoadArgs(['--tolerance']), /--tolerance needs a value/);
  });
});
