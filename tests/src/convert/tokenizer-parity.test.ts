// The converted tokenizer.json, run by transformers.js, encodes exactly like llama2.c's own BPE encoder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeIds, encodeText, generateText } from '../../../ml-service/dist/text/transformers/index.js';
import { loadStories, storiesFile } from './stories.js';
import { readReferenceVocab, referenceEncode } from './reference-bpe.js';

const PROMPTS = [
  'Once upon a time',
  "Lily's dog",
  'café ☕',
  'The  cat sat.\nThen it ran away!',
  'naïve 日本 — “quoted” 123',
  ' leading space and trailing ',
];

test('transformers.js encoding of the converted tokenizer matches the llama2.c reference', async () => {
  const vocab = readReferenceVocab(storiesFile('tok512.bin'), 512);
  // Known values, so the reference itself is pinned: "▁Once" "▁upon" "▁a" "▁time".
  assert.deepEqual(referenceEncode(vocab, 'Once upon a time'), [403, 407, 261, 378]);
  const model = await loadStories();
  try {
    for (const prompt of PROMPTS) {
      const expected = referenceEncode(vocab, prompt);
      assert.deepEqual(encodeText(model, prompt), expected, `tokens of ${JSON.stringify(prompt)}`);
      assert.equal(decodeIds(model, expected), prompt, `round trip of ${JSON.stringify(prompt)}`);
    }
    // "☕" (U+2615) is not in the vocabulary: it falls back to its UTF-8 bytes E2 98 95 (ids byte + 3).
    assert.deepEqual(encodeText(model, 'café ☕').slice(-3), [0xe2 + 3, 0x98 + 3, 0x95 + 3]);
    // BOS is added once by the engine, never by the tokenizer when encoding prompt text.
    const r = await generateText(model, { prompt: 'Once upon a time', maxNewTokens: 1 });
    assert.equal(r.promptTokens, 5);
  } finally {
    await model.dispose();
  }
});
