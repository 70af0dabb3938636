// Unit tests for the decode-loop tail every text engine shares.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Detokenizer } from './detokenizer.js';
import { StopMatcher } from './stop-matcher.js';
import { TokenEmitter } from './token-emitter.js';

const VOCAB = ['', 'Once', ' upon', ' a', ' time', ' END', ' there'];
const decode = (ids: readonly number[]): string => ids.map((i) => VOCAB[i] ?? '?').join('');

function emitter(stops: string[]): TokenEmitter {
  return new TokenEmitter(new Detokenizer(decode, []), new StopMatcher(stops), performance.now());
}

test('deltas carry the ids that completed them; the summary counts every sampled token', () => {
  const e = emitter([]);
  const deltas: { delta: string; ids: readonly number[] }[] = [];
  for (const id of [1, 2, 3, 4]) {
    e.count();
    const { delta, stopped } = e.push(id);
    assert.equal(stopped, false);
    if (delta) deltas.push({ delta: delta.delta, ids: delta.tokenIds });
  }
  e.count(); // an end-of-generation token: counted, never pushed
  const end = e.finish('eos', 3);
  const text = deltas.map((d) => d.delta).join('') + (end.delta?.delta ?? '');
  assert.equal(text, 'Once upon a time');
  assert.deepEqual([...deltas.flatMap((d) => d.ids), ...(end.delta?.tokenIds ?? [])], [1, 2, 3, 4]);
  assert.equal(end.summary.completionTokens, 5);
  assert.equal(end.summary.promptTokens, 3);
  assert.equal(end.summary.finishReason, 'eos');
  assert.ok(end.summary.timeToFirstTokenMs >= 0 && end.summary.durationMs >= end.summary.timeToFirstTokenMs);
});

test('a stop string ends the run and is not emitted; held-back text is flushed when no stop matched', () => {
  const e = emitter([' END']);
  let out = '';
  let stopped = false;
  for (const id of [1, 2, 5, 6]) {
    e.count();
    const p = e.push(id);
    out += p.delta?.delta ?? '';
    if (p.stopped) {
      stopped = true;
      break;
    }
  }
  assert.equal(stopped, true);
  const end = e.finish('stop', 0);
  assert.equal(out + (end.delta?.delta ?? ''), 'Once upon');
  assert.equal(end.summary.finishReason, 'stop');
  assert.equal(end.summary.completionTokens, 3);

  const partial = emitter([' ENDING']);
  let text = '';
  for (const id of [1, 5]) {
    partial.count();
    text += partial.push(id).delta?.delta ?? '';
  }
  const tail = partial.finish('length', 0);
  assert.equal(text + (tail.delta?.delta ?? ''), 'Once END', 'a possible stop prefix is released at the end');
  assert.equal(tail.summary.finishReason, 'length');
});
