// Unit tests of the streaming helpers: UTF-8-safe detokenizer and stop-string matcher.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Detokenizer } from './detokenizer.js';
import { StopMatcher } from './stop-matcher.js';

/** A toy byte-level vocabulary: id = byte value; id 256 is a special token that decodes to ''. */
const decodeBytes = (ids: readonly number[]): string =>
  new TextDecoder().decode(Uint8Array.from(ids.filter((id) => id < 256)));

test('detokenizer holds incomplete UTF-8 sequences back', () => {
  const text = 'a€b🙂';
  const bytes = [...new TextEncoder().encode(text)];
  const d = new Detokenizer(decodeBytes, [256]);
  const deltas = bytes.map((b) => d.push(b));
  assert.deepEqual(deltas, ['a', '', '', '€', 'b', '', '', '', '🙂']);
  assert.equal(d.flush(), '');
});

test('detokenizer flushes an unfinished sequence at the end', () => {
  const d = new Detokenizer(decodeBytes, []);
  assert.equal(d.push(0x68), 'h');
  assert.equal(d.push(0xe2), '');
  assert.equal(d.flush(), '\uFFFD');
});

test('detokenizer keeps word-boundary spaces that depend on the prompt', () => {
  // A decoder that strips one leading space from its whole output, like SentencePiece's.
  const words = ['<s>', ' Once', ' upon', ' a', ' time'];
  const decode = (ids: readonly number[]): string => ids.map((id) => (id === 0 ? '' : words[id]!)).join('').replace(/^ /, '');
  const fromBos = new Detokenizer(decode, [0]);
  assert.equal(fromBos.push(1), 'Once');
  assert.equal(fromBos.push(2), ' upon');
  const afterPrompt = new Detokenizer(decode, [0, 1, 2]);
  assert.equal(afterPrompt.push(3), ' a');
});

test('stop matcher emits text before a stop string and holds possible prefixes', () => {
  const m = new StopMatcher(['\nuser:', 'END']);
  assert.deepEqual(m.push('hello '), { emit: 'hello ', stopped: false });
  assert.deepEqual(m.push('there\nus'), { emit: 'there', stopped: false });
  assert.deepEqual(m.push('e'), { emit: '', stopped: false });
  assert.deepEqual(m.push('d it'), { emit: '\nused it', stopped: false });
  assert.deepEqual(m.push(' E'), { emit: ' ', stopped: false });
  assert.deepEqual(m.push('ND tail'), { emit: '', stopped: true });
});

test('stop matcher picks the earliest stop and flushes a held tail', () => {
  const m = new StopMatcher(['bc', 'ab']);
  assert.deepEqual(m.push('xxabc'), { emit: 'xx', stopped: true });
  const n = new StopMatcher(['abc']);
  assert.deepEqual(n.push('zab'), { emit: 'z', stopped: false });
  assert.equal(n.flush(), 'ab');
  assert.deepEqual(new StopMatcher([]).push('any'), { emit: 'any', stopped: false });
});
