// --log-format of tabagent-server: auto by default, the TABAGENT_LOG_FORMAT fallback, and a clear
// refusal of an unknown format naming the flag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommanderError } from 'commander';
import { parseConfig } from './config.js';

/** Runs `fn` with TABAGENT_LOG_FORMAT set (or unset). */
function withEnv<T>(value: string | undefined, fn: () => T): T {
  const saved = process.env['TABAGENT_LOG_FORMAT'];
  if (value === undefined) delete process.env['TABAGENT_LOG_FORMAT'];
  else process.env['TABAGENT_LOG_FORMAT'] = value;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env['TABAGENT_LOG_FORMAT'];
    else process.env['TABAGENT_LOG_FORMAT'] = saved;
  }
}

describe('--log-format', () => {
  it('tabagent-server: auto by default, the flag, the env fallback; an unknown format is refused naming the flag', () => {
    assert.equal(withEnv(undefined, () => parseConfig([]).logFormat), 'auto');
    assert.equal(withEnv(undefined, () => parseConfig(['--log-format', 'pretty']).logFormat), 'pretty');
    assert.equal(withEnv('json', () => parseConfig([]).logFormat), 'json');
    assert.equal(withEnv('json', () => parseConfig(['--log-format', 'pretty']).logFormat), 'pretty');
    const stderr = process.stderr.write;
    let said = '';
    process.stderr.write = ((s: string) => { said += s; return true; }) as typeof process.stderr.write;
    try {
      assert.throws(() => withEnv(undefined, () => parseConfig(['--log-format', 'fancy'])), (e: unknown) => e instanceof CommanderError && e.code === 'commander.invalidArgument');
    } finally {
      process.stderr.write = stderr;
    }
    assert.match(said, /--log-format <format>' argument 'fancy' is invalid/);
  });
});
