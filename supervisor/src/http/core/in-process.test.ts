// Unit tests of the in-process unary invoker: the answer bytes, a handler's status as a ServiceError
// the HTTP error mapping reads (code, details, TA_ERR_* metadata), UNIMPLEMENTED for an unknown
// method, cancellation and the deadline reaching the handler (its late answer ignored), and close()
// ending the running calls as a shutdown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, status, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { ERROR_CODE_KEY } from '@tabagent/common';
import { toHttpError } from './errors.js';
import { InProcessService, type InProcessCall } from './in-process.js';

type Cb = (err: Partial<StatusObject> | null, res?: Buffer) => void;

const later = (ms: number): Date => new Date(Date.now() + ms);

/** A handler that answers after `ms` with `answer`, and records what its call saw. */
function slow(ms: number, answer: Buffer, seen: { cancelled?: boolean; events: string[] }) {
  return (call: InProcessCall, cb: Cb): void => {
    call.once('cancelled', () => seen.events.push('cancelled'));
    setTimeout(() => {
      seen.cancelled = call.cancelled;
      cb(null, answer);
    }, ms);
  };
}

describe('InProcessService', () => {
  it('hands the request bytes and deadline to the handler and resolves with its answer', async () => {
    const deadline = later(5_000);
    let got: { request: Buffer; deadline: Date } | undefined;
    const { invoke } = new InProcessService({
      embed: (call: InProcessCall, cb: Cb) => {
        got = { request: call.request, deadline: call.getDeadline() };
        cb(null, Buffer.from([7, 8, 9]));
      },
    });
    const res = await invoke('embed', Buffer.from([1, 2, 3]), deadline);
    assert.deepEqual([...res], [7, 8, 9]);
    assert.deepEqual([...got!.request], [1, 2, 3]);
    assert.equal(got!.deadline, deadline);
  });

  it('rejects with the status of the handler as a ServiceError that maps to the same HTTP error', async () => {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_KEY, 'TA_ERR_MODEL_NOT_FOUND');
    const { invoke } = new InProcessService({ embed: (_call: InProcessCall, cb: Cb) => cb({ code: status.NOT_FOUND, details: "model 'x' is not in the catalog", metadata }) });
    const err = await invoke('embed', Buffer.alloc(0), later(5_000)).then(() => assert.fail('resolved'), (e: unknown) => e as ServiceError);
    assert.ok(err instanceof Error);
    assert.equal(err.code, status.NOT_FOUND);
    assert.equal(err.details, "model 'x' is not in the catalog");
    const http = toHttpError(err);
    assert.equal(http.status, 404);
    assert.equal(http.body.error.code, 'TA_ERR_MODEL_NOT_FOUND');
    assert.equal(http.body.error.message, "model 'x' is not in the catalog");
  });

  it('answers UNIMPLEMENTED for a method the service does not have', async () => {
    const err = await new InProcessService({}).invoke('nope', Buffer.alloc(0), later(5_000)).then(() => assert.fail('resolved'), (e: unknown) => e as ServiceError);
    assert.equal(err.code, status.UNIMPLEMENTED);
    assert.equal(toHttpError(err).status, 501);
  });

  it('cancels the handler when the signal aborts, rejects CANCELLED at once and ignores the late answer', async () => {
    const seen: { cancelled?: boolean; events: string[] } = { events: [] };
    const abort = new AbortController();
    const t0 = Date.now();
    const p = new InProcessService({ embed: slow(200, Buffer.from([1]), seen) }).invoke('embed', Buffer.alloc(0), later(5_000), abort.signal);
    setTimeout(() => abort.abort(), 20);
    const err = await p.then(() => assert.fail('resolved'), (e: unknown) => e as ServiceError);
    assert.equal(err.code, status.CANCELLED);
    assert.ok(Date.now() - t0 < 150, `rejected after ${Date.now() - t0} ms`);
    assert.deepEqual(seen.events, ['cancelled']);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal(seen.cancelled, true);
  });

  it('ends a call past its deadline with DEADLINE_EXCEEDED and cancels the handler', async () => {
    const seen: { cancelled?: boolean; events: string[] } = { events: [] };
    const err = await new InProcessService({ embed: slow(200, Buffer.from([1]), seen) }).invoke('embed', Buffer.alloc(0), later(30))
      .then(() => assert.fail('resolved'), (e: unknown) => e as ServiceError);
    assert.equal(err.code, status.DEADLINE_EXCEEDED);
    assert.equal(toHttpError(err).body.error.code, 'TA_ERR_DEADLINE_EXCEEDED');
    assert.deepEqual(seen.events, ['cancelled']);
  });

  it('does not start a call whose signal has already aborted', async () => {
    let ran = false;
    const abort = new AbortController();
    abort.abort();
    const err = await new InProcessService({ embed: () => { ran = true; } }).invoke('embed', Buffer.alloc(0), later(5_000), abort.signal)
      .then(() => assert.fail('resolved'), (e: unknown) => e as ServiceError);
    assert.equal(err.code, status.CANCELLED);
    assert.equal(ran, false);
  });

  it('close() ends the running calls as shutting down (503 over HTTP), cancels their handlers, makes it idle and refuses new ones', async () => {
    const seen: { cancelled?: boolean; events: string[] } = { events: [] };
    const service = new InProcessService({ embed: slow(200, Buffer.from([1]), seen) });
    const running = service.invoke('embed', Buffer.alloc(0), later(5_000));
    assert.equal(service.running, 1);
    let idle = false;
    const idled = service.whenIdle().then(() => { idle = true; });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(idle, false, 'idle while a call runs');
    service.close();
    await idled;
    const err = await running.then(() => assert.fail('resolved'), (e: unknown) => e as ServiceError);
    assert.equal(toHttpError(err).status, 503);
    assert.equal(toHttpError(err).body.error.code, 'TA_ERR_SHUTTING_DOWN');
    assert.deepEqual(seen.events, ['cancelled']);
    assert.equal(service.running, 0);
    const later2 = await service.invoke('embed', Buffer.alloc(0), later(5_000)).then(() => assert.fail('resolved'), (e: unknown) => e as ServiceError);
    assert.equal(toHttpError(later2).body.error.code, 'TA_ERR_SHUTTING_DOWN');
    service.close();
  });
});
