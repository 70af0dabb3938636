// Unit tests of the number flag parsers: only numbers in range pass, as numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { intFlag, numberFlag } from './numbers.js';

describe('number flags', () => {
  it('integers in range pass; anything else is commander\'s InvalidArgumentError', () => {
    const p = intFlag(-1, 10);
    assert.deepEqual(['-1', '0', ' 7 ', '+10'].map(p), [-1, 0, 7, 10]);
    for (const bad of ['', 'abc', '1.5', '1e3', '11', '-2', 'NaN', 'Infinity', '0x1', '99999999999999999999']) {
      assert.throws(() => p(bad), InvalidArgumentError, JSON.stringify(bad));
    }
  });

  it('finite numbers in range pass', () => {
    const p = numberFlag(0, 2);
    assert.deepEqual(['0', '0.7', '2', '1e-3'].map(p), [0, 0.7, 2, 0.001]);
    for (const bad of ['', ' ', 'x', '-0.1', '2.01', 'NaN', 'Infinity', '1e400']) assert.throws(() => p(bad), InvalidArgumentError, JSON.stringify(bad));
  });
});
