import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatListening, parseListening } from './child-startup.js';

describe('child startup line', () => {
  it('round-trips the address and pid', () => {
    const line = formatListening('127.0.0.1:40123', 4242);
    assert.ok(line.endsWith('\n'));
    assert.deepEqual(parseListening(line.trimEnd()), { event: 'listening', address: '127.0.0.1:40123', pid: 4242 });
  });

  it('ignores every other line', () => {
    for (const line of ['', 'hello', '{"event":"ready","address":"x"}', '{"event":"listening"}', '{"event":"listening","address":""}', '[1]', 'null']) {
      assert.equal(parseListening(line), undefined, line);
    }
  });
});
