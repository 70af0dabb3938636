// RunClock: overlapping runs count once (first start to last end); separate runs add up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunClock } from './stage-clock.js';

test('overlapping runs form one busy period; sequential runs add up', () => {
  const clock = new RunClock();
  clock.reset(100);
  clock.runStarted(102); // face
  clock.runStarted(103); // hand, overlapping
  clock.runEnded(110);
  clock.runEnded(112);
  clock.runStarted(115);
  clock.runEnded(118);
  assert.deepEqual(clock.split(120), { preprocessMs: 5, inferenceMs: 13, postprocessMs: 2 });
});
