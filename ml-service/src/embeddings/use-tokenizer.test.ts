// Unit tests of the USE lite SentencePiece tokenizer (Viterbi segmentation over a toy vocabulary).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNK_ID, UseTokenizer, isUseVocabulary, type UseVocabulary } from './use-tokenizer.js';

const RESERVED: UseVocabulary = [['\uFFFD', 0], ['<s>', 0], ['</s>', 0], ['x1', 0], ['x2', 0], ['x3', 0]];
const vocab: UseVocabulary = [
  ...RESERVED,
  ['\u2581the', -2], // 6
  ['\u2581', -3], // 7
  ['t', -4], // 8
  ['h', -4], // 9
  ['e', -4], // 10
  ['\u2581cat', -3], // 11
  ['c', -5], // 12
  ['a', -5], // 13
  ['\u2581ca', -4], // 14
  ['ts', -3], // 15
  ['s', -5], // 16
  [':)', null], // 17: user-defined piece, score null = 0
];

test('Viterbi picks the segmentation with the highest total score', () => {
  const t = new UseTokenizer(vocab);
  assert.deepEqual(t.encode('the'), [6]);
  // "▁cats": ▁ca + ts scores -7, higher than ▁cat + s (-8).
  assert.deepEqual(t.encode('cats'), [14, 15]);
  assert.deepEqual(t.encode('the cat'), [6, 11]);
});

test('spaces become U+2581, text is NFKC-normalised, empty text has no tokens', () => {
  const t = new UseTokenizer(vocab);
  assert.deepEqual(t.encode('the\u3000cat'), [6, 11]); // ideographic space → NFKC → " "
  assert.deepEqual(t.encode(''), []);
});

test('characters no piece covers become one unk token per run', () => {
  const t = new UseTokenizer(vocab);
  assert.deepEqual(t.encode('the zz cat'), [6, 7, UNK_ID, 11]);
  assert.deepEqual(t.encode('cat\u{1F600}'), [11, UNK_ID]);
});

test('pieces with a null score are preferred like score 0', () => {
  const t = new UseTokenizer(vocab);
  assert.deepEqual(t.encode('cat:)'), [11, 17]);
});

test('vocabulary shape check', () => {
  assert.equal(isUseVocabulary(vocab), true);
  assert.equal(isUseVocabulary([['a', 'b']]), false);
  assert.equal(isUseVocabulary({}), false);
});
