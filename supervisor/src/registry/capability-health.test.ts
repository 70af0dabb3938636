// Which capability health service each catalog task belongs to, and how a failed model of a task
// takes down only its capability.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEALTH_SERVICES } from '@tabagent/common';
import { TASKS, type Task } from '../store/core/types.js';
import { capabilityOf, capabilityStatuses } from './capability-health.js';

test('vision tasks (object detection included) report on tabagent.v1.Vision, text tasks on tabagent.v1.Text', () => {
  const text = new Set<Task>(['text-generation', 'embeddings', 'speech-to-text']);
  for (const task of TASKS) assert.equal(capabilityOf(task), text.has(task) ? HEALTH_SERVICES.text : HEALTH_SERVICES.vision, task);
});

test('a failed object detector stops Vision serving and leaves Text and the child serving', () => {
  const s = capabilityStatuses(true, new Set<Task>(['object-detection']));
  assert.equal(s.get(HEALTH_SERVICES.vision), 'NOT_SERVING');
  assert.equal(s.get(HEALTH_SERVICES.text), 'SERVING');
  assert.equal(s.get(HEALTH_SERVICES.ml), 'SERVING');
  assert.equal(capabilityStatuses(false, new Set()).get(HEALTH_SERVICES.vision), 'NOT_SERVING');
});
