// Unit tests of the generation body: numbers the gRPC fields cannot hold are refused naming the
// field before the loopback call (they used to fail its encoding as 500s).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TabagentError } from '@tabagent/common';
import { generationSchema, samplingOf, type GenerationBody } from './generation-body.js';

const body = (extra: Partial<GenerationBody>): GenerationBody => ({ model: 'm', prompt: 'p', ...extra });
const refusal = (extra: Partial<GenerationBody>): string => {
  try {
    samplingOf(body(extra));
  } catch (err) {
    assert.ok(err instanceof TabagentError);
    return `${err.field}: ${err.message}`;
  }
  return 'accepted';
};

describe('generation body', () => {
  it('refuses ±Infinity (what type coercion makes of the strings "Infinity" and "1e400") naming the field', () => {
    assert.equal(refusal({ seed: -Infinity }), 'seed: seed: must be a finite number, got -Infinity');
    assert.equal(refusal({ max_tokens: Infinity }), 'max_tokens: max_tokens: must be a finite number, got Infinity');
    assert.equal(refusal({ num_ctx: Infinity }), 'num_ctx: num_ctx: must be a finite number, got Infinity');
    assert.equal(refusal({ temperature: -Infinity }), 'temperature: temperature: must be a finite number, got -Infinity');
    assert.equal(refusal({ max_tokens: 4, seed: 7 }), 'accepted');
  });

  it('bounds the integers by what their gRPC fields hold (uint32; a seed exact as a JSON number)', () => {
    const props = generationSchema('prompt')['properties'] as Record<string, { maximum?: number }>;
    assert.equal(props['max_tokens']?.maximum, 0xffffffff);
    assert.equal(props['max_completion_tokens']?.maximum, 0xffffffff);
    assert.equal(props['num_ctx']?.maximum, 0xffffffff);
    assert.equal(props['seed']?.maximum, Number.MAX_SAFE_INTEGER);
  });
});
