// Checks shared by the fuzz suites: which outcomes bad input may have, and that a batch left both
// processes serving with the same ML child.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import { HealthClient } from '@tabagent/common';
import type { RawOutcome } from '../support/raw-client.js';
import type { ServerUnderTest } from '../support/server-process.js';

/** Statuses bad input may get: an answer, or a client error. Never INTERNAL, UNKNOWN, UNAVAILABLE. */
const CLIENT_ERRORS = new Set([status.INVALID_ARGUMENT, status.NOT_FOUND, status.RESOURCE_EXHAUSTED, status.FAILED_PRECONDITION, status.OUT_OF_RANGE]);

/** An error names what was wrong: "field: problem" for INVALID_ARGUMENT, the model for NOT_FOUND. */
const NAMES_FIELD = /^[a-z_][\w.[\]]*: \S/;

/** Asserts the outcome of one bad-input call; `what` describes the input for the failure message. */
export function assertClientOutcome(o: RawOutcome, what: string): void {
  if (o.code === status.OK) return;
  assert.ok(CLIENT_ERRORS.has(o.code), `${what}: status ${status[o.code]} "${o.details}"`);
  assert.match(o.errorCode ?? '', /^TA_ERR_[A-Z_]+$/, `${what}: no stable error code on ${status[o.code]} "${o.details}"`);
  if (o.code === status.INVALID_ARGUMENT) assert.match(o.details, NAMES_FIELD, `${what}: message does not name the field`);
  if (o.code === status.NOT_FOUND) assert.match(o.details, /model|region|key|name|file/i, `${what}: NOT_FOUND does not say what is missing`);
}

/** Both processes SERVING, and the ML child is still the one that started. */
export async function assertStillServing(server: ServerUnderTest, childPid: number): Promise<void> {
  const health = new HealthClient(server.address);
  try {
    assert.equal(await health.check('', 5_000), 'SERVING', 'the supervisor is not SERVING');
    assert.equal(await health.check('tabagent.ml', 5_000), 'SERVING', 'the ML child is not SERVING');
  } finally {
    health.close();
  }
  assert.deepEqual(server.childPids(), [childPid], 'the ML child was restarted');
}

/** Open file descriptors of a process. */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}
