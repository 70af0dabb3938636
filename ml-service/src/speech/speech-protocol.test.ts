// Unit tests of the speech worker's error transport: engine errors come back as SpeechError with
// their code and field; file errors keep the code that marks an optional file as missing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotFound } from '../runtime/transformers-files.js';
import { SpeechError, invalidAudio } from './errors.js';
import { fromWire, toWire } from './speech-protocol.js';

describe('speech worker errors', () => {
  it('rebuilds a SpeechError with its code and field across a structured clone', () => {
    const back = fromWire(structuredClone(toWire(invalidAudio('language', '"xx" is not a language'))));
    assert.ok(back instanceof SpeechError);
    assert.equal(back.code, 'SPEECH_INVALID_ARGUMENT');
    assert.equal(back.field, 'language');
    assert.equal(back.message, 'language: "xx" is not a language');
  });

  it('keeps the code of a file error, so a missing optional file still reads as not found', () => {
    const missing = Object.assign(new Error('no such file'), { code: 5 });
    const back = fromWire(structuredClone(toWire(missing)));
    assert.ok(isNotFound(back));
    assert.equal(back.message, 'no such file');
    const other = fromWire(toWire(new TypeError('boom')));
    assert.equal(other.name, 'TypeError');
    assert.ok(!(other instanceof SpeechError));
    assert.ok(!isNotFound(other));
  });
});
