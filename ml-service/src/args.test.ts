// --log-format of the ML service: auto by default, the flag over the TABAGENT_LOG_FORMAT fallback, and
// an unknown format refused naming the flag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMlArgs } from './args.js';

describe('ML service --log-format', () => {
  it('auto by default, the flag, the env fallback; an unknown format names the flag', () => {
    assert.equal(parseMlArgs([], {}).logFormat, 'auto');
    assert.equal(parseMlArgs(['--log-format', 'json'], { TABAGENT_LOG_FORMAT: 'pretty' }).logFormat, 'json');
    assert.equal(parseMlArgs([], { TABAGENT_LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.throws(() => parseMlArgs(['--log-format', 'fancy'], {}), /^Error: --log-format: unknown format "fancy"/);
  });
});
