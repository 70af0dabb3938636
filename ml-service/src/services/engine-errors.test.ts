// Unit tests of the mapping from engine errors to TabagentErrors with public field names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TabagentError, toGrpcStatus } from '@tabagent/common';
import { status } from '@grpc/grpc-js';
import { EngineError } from '../errors/engine-error.js';
import { EmbedError, invalidEmbed } from '../embeddings/errors.js';
import { WorkerSessionError } from '../runtime/worker-session.js';
import { SpeechError, invalidAudio } from '../speech/errors.js';
import { VisionError } from '../vision/errors.js';
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

test('every engine error derives from EngineError and maps through the one alias table, with no code-suffix guessing', () => {
  const cases: [EngineError<string>, string][] = [
    [new EmbedError('EMBED_MODEL_LOAD_FAILED', 'bad graph'), 'TA_ERR_MODEL_LOAD_FAILED'],
    [new SpeechError('SPEECH_MODEL_LOAD_FAILED', 'bad weights'), 'TA_ERR_MODEL_LOAD_FAILED'],
    [new VisionError('VISION_DISPOSED', 'gone'), 'TA_ERR_MODEL_NOT_LOADED'],
    [new VisionError('VISION_NOT_FOUND', 'frame.shared_memory: no region', 'frame.shared_memory'), 'TA_ERR_REGION_NOT_FOUND'],
    [new WorkerSessionError('worker exited'), 'TA_ERR_INTERNAL'],
  ];
  for (const [err, code] of cases) {
    assert.ok(err instanceof EngineError);
    const t = toTabagentError(err) as TabagentError;
    assert.ok(t instanceof TabagentError, err.code);
    assert.equal(t.code, code, err.code);
    assert.equal(t.message, err.message);
    assert.equal(t.cause, err);
  }
  // A code that only looks like a known one is not guessed from its suffix.
  const unknown = new EngineError('MADE_UP_MODEL_LOAD_FAILED', 'x');
  assert.equal(toTabagentError(unknown), unknown);
  assert.equal(toGrpcStatus(unknown).code, status.INTERNAL);
  assert.equal(toGrpcStatus(new VisionError('VISION_INVALID_ARGUMENT', 'frame.width: must be > 0', 'frame.width')).code, status.INVALID_ARGUMENT);
});
