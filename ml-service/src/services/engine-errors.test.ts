// Unit tests of the mapping from engine errors to TabagentErrors with public field names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TabagentError } from '@tabagent/common';
import { invalidEmbed } from '../embeddings/errors.js';
import { invalidAudio } from '../speech/errors.js';
import { TextError, invalidArgument } from '../text/errors.js';
import { publicField, toTabagentError } from '../errors/engine-errors.js';

test('engine option names become public request fields', () => {
  assert.equal(publicField('maxNewTokens'), 'sampling.max_new_tokens');
  assert.equal(publicField('stop[3]'), 'sampling.stop[3]');
  assert.equal(publicField('messages[1].role'), 'messages[1].role');
  assert.equal(publicField('prompt'), 'prompt');
});

test('invalid-argument errors of every engine map to TA_ERR_INVALID_ARGUMENT naming the field', () => {
  const cases: [unknown, string, RegExp][] = [
    [invalidArgument('temperature', 'must be a finite number >= 0, got -1'), 'sampling.temperature', /^sampling\.temperature: must be/],
    [invalidEmbed('texts', 'has 300 texts'), 'texts', /^texts: has 300/],
    [invalidAudio('audio', 'is empty'), 'audio', /^audio: is empty/],
  ];
  for (const [err, field, message] of cases) {
    const t = toTabagentError(err) as TabagentError;
    assert.ok(t instanceof TabagentError);
    assert.equal(t.code, 'TA_ERR_INVALID_ARGUMENT');
    assert.equal(t.field, field);
    assert.match(t.message, message);
  }
});

test('load failures and disposed models keep their meaning; other errors pass through', () => {
  assert.equal((toTabagentError(new TextError('TEXT_MODEL_LOAD_FAILED', 'x')) as TabagentError).code, 'TA_ERR_MODEL_LOAD_FAILED');
  assert.equal((toTabagentError(new TextError('TEXT_MODEL_DISPOSED', 'x')) as TabagentError).code, 'TA_ERR_MODEL_NOT_LOADED');
  const plain = new Error('boom');
  assert.equal(toTabagentError(plain), plain);
});
