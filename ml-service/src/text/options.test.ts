// Unit tests of request validation and the plain chat template.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptions, checkInputIds } from './options.js';
import { plainChatPrompt, validateMessages, type ChatMessage } from './chat-messages.js';
import { isNotFound } from '../runtime/transformers-files.js';
import type { TextModelInfo } from './model-info.js';

const info: TextModelInfo = {
  vocabSize: 100, contextLength: 64, bosTokenId: 1, eosTokenIds: [2], addBosByDefault: true, chatTemplate: undefined,
};

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    const err = e as { code?: string; field?: string };
    assert.equal(err.code, 'TEXT_INVALID_ARGUMENT');
    return err.field;
  }
  return undefined;
};

test('defaults are greedy, 256 tokens or what fits the context', () => {
  assert.equal(resolveOptions({}, info, 10).maxNewTokens, 54);
  assert.equal(fieldOf(() => resolveOptions({}, info, 64)), 'prompt');
  const r = resolveOptions({}, { ...info, contextLength: 512 }, 1);
  assert.deepEqual({ ...r, signal: undefined }, {
    maxNewTokens: 256, temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1, seed: undefined, stop: [], signal: undefined,
  });
});

test('each invalid option is named', () => {
  assert.equal(fieldOf(() => resolveOptions({ temperature: -1 }, info, 1)), 'temperature');
  assert.equal(fieldOf(() => resolveOptions({ temperature: Number.NaN }, info, 1)), 'temperature');
  assert.equal(fieldOf(() => resolveOptions({ maxNewTokens: 64 }, info, 1)), 'maxNewTokens');
  assert.equal(fieldOf(() => resolveOptions({ maxNewTokens: 63 }, info, 1)), undefined);
  assert.equal(fieldOf(() => resolveOptions({ maxNewTokens: 2.5 }, info, 1)), 'maxNewTokens');
  assert.equal(fieldOf(() => resolveOptions({ topP: 1.5 }, info, 1)), 'topP');
  assert.equal(fieldOf(() => resolveOptions({ topK: -1 }, info, 1)), 'topK');
  assert.equal(fieldOf(() => resolveOptions({ seed: -3 }, info, 1)), 'seed');
  assert.equal(fieldOf(() => resolveOptions({ stop: ['ok', ''] }, info, 1)), 'stop[1]');
  assert.equal(fieldOf(() => checkInputIds([5, -1], 100)), 'inputIds[1]');
  assert.equal(fieldOf(() => checkInputIds([100], 100)), 'inputIds[0]');
});

test('plain chat template and role validation', () => {
  const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'Story?' }];
  assert.equal(plainChatPrompt(messages), 'user: Hi\nassistant: Hello!\nuser: Story?\nassistant:');
  assert.equal(fieldOf(() => validateMessages([])), 'messages');
  assert.equal(fieldOf(() => validateMessages([{ role: 'robot' as 'user', content: 'x' }])), 'messages[0].role');
  assert.equal(fieldOf(() => validateMessages([{ role: 'user', content: 'x' }, { role: 'user', content: 3 as unknown as string }])), 'messages[1].content');
});

test('not-found errors of readFile callbacks are recognised', () => {
  assert.equal(isNotFound(Object.assign(new Error('x'), { code: 'ENOENT' })), true);
  assert.equal(isNotFound({ code: 5 }), true);
  assert.equal(isNotFound(Object.assign(new Error('x'), { code: 'EACCES' })), false);
  assert.equal(isNotFound(new Error('plain')), false);
});
