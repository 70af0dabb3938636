// Unit tests of token selection and the seeded generator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRepetitionPenalty, argmax, sampleToken, topKIndices } from './sampling.js';
import { createRng } from '../rng.js';

const greedy = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };

test('argmax takes the first of equal maxima', () => {
  assert.equal(argmax([1, 5, 5, 2]), 1);
  assert.equal(sampleToken(Float32Array.from([0.1, 3, -2, 3]), greedy, [], createRng(1)), 1);
});

test('repetition penalty divides positive and multiplies negative logits of seen tokens', () => {
  const logits = Float32Array.from([2, -2, 4]);
  applyRepetitionPenalty(logits, [0, 1, 1], 2);
  assert.deepEqual([...logits], [1, -4, 4]);
  // A penalty strong enough changes the greedy choice.
  assert.equal(sampleToken(Float32Array.from([3, 2]), { ...greedy, repetitionPenalty: 2 }, [0], createRng(1)), 1);
});

test('top-k keeps the k largest in order', () => {
  assert.deepEqual(topKIndices(Float32Array.from([0.5, 9, -1, 7, 7, 3]), 3), [1, 3, 4]);
  assert.deepEqual(topKIndices(Float32Array.from([2, 1, 3]), 0), [2, 0, 1]);
});

test('sampling only draws from the top-k / top-p candidates', () => {
  const rng = createRng(7);
  const logits = [5, 4.9, 0, 0, 0, -1];
  const counts = new Map<number, number>();
  for (let i = 0; i < 2000; i++) {
    const id = sampleToken(Float32Array.from(logits), { temperature: 1, topK: 2, topP: 1, repetitionPenalty: 1 }, [], rng);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), [0, 1]);
  // p(0) = e^5 / (e^5 + e^4.9) = 0.525
  assert.ok(Math.abs(counts.get(0)! / 2000 - 0.525) < 0.05);
  for (let i = 0; i < 200; i++) {
    // top-p 0.5 keeps only token 0 (its probability alone is >= 0.5).
    assert.equal(sampleToken(Float32Array.from(logits), { temperature: 1, topK: 0, topP: 0.5, repetitionPenalty: 1 }, [], rng), 0);
  }
});

test('temperature flattens the distribution', () => {
  const draw = (temperature: number): number => {
    const rng = createRng(3);
    let zeros = 0;
    for (let i = 0; i < 2000; i++) if (sampleToken(Float32Array.from([2, 0]), { temperature, topK: 0, topP: 1, repetitionPenalty: 1 }, [], rng) === 0) zeros++;
    return zeros / 2000;
  };
  // p(0) = 1 / (1 + e^(-2/T)): 0.881 at T=1, 0.731 at T=2.
  assert.ok(Math.abs(draw(1) - 0.881) < 0.03);
  assert.ok(Math.abs(draw(2) - 0.731) < 0.03);
});

test('the generator is deterministic per seed and uniform in [0, 1)', () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
  assert.notEqual(xs[0], c());
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05);
  assert.notEqual(createRng(2 ** 32)(), createRng(0)());
});
