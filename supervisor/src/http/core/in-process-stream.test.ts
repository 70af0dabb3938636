// Unit tests of in-process server streams: messages in order then the end, write callbacks as the
// reader takes them, backpressure (false at the high-water mark, 'drain' once read), a handler's error
// status after its messages, cancellation by signal and deadline reaching the handler, the HTTP
// surface label, UNIMPLEMENTED for an unknown method, and close() ending running streams as a shutdown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, SURFACE_KEY } from '@tabagent/common';
import { toHttpError } from './errors.js';
import { InProcessService, type MessageReader } from './in-process.js';
import type { InProcessStreamCall } from './in-process-stream.js';

const later = (ms: number): Date => new Date(Date.now() + ms);

async function readAll(r: MessageReader): Promise<{ messages: number[]; err?: ServiceError }> {
  const messages: number[] = [];
  try {
    for (let n = await r.next(); !n.done; n = await r.next()) messages.push(n.value[0] ?? -1);
    return { messages };
  } catch (err) {
    return { messages, err: err as ServiceError };
  }
}

describe('InProcessService streams', () => {
  it('hands the request to the handler, yields its messages in order, then the end; callbacks fire as the reader takes them', async () => {
    const written: number[] = [];
    let got: InProcessStreamCall | undefined;
    const service = new InProcessService({
      chat: (call: InProcessStreamCall) => {
        got = call;
        for (const i of [1, 2, 3]) call.write(Buffer.from([i]), () => written.push(i));
        setTimeout(() => call.end(), 5);
      },
    });
    const reader = service.stream('chat', Buffer.from([9]), later(5_000));
    assert.deepEqual(written, [], 'nothing taken yet');
    assert.equal(service.running, 1);
    const { messages, err } = await readAll(reader);
    assert.equal(err, undefined);
    assert.deepEqual(messages, [1, 2, 3]);
    assert.deepEqual(written, [1, 2, 3]);
    assert.deepEqual([...got!.request], [9]);
    assert.deepEqual(got!.metadata.get(SURFACE_KEY), ['http']);
    assert.equal(service.running, 0);
  });

  it('asks the handler to wait at the high-water mark and emits drain once the reader has taken messages', async () => {
    const results: boolean[] = [];
    let drains = 0;
    let call: InProcessStreamCall | undefined;
    const reader = new InProcessService({
      chat: (c: InProcessStreamCall) => {
        call = c;
        c.on('drain', () => (drains += 1));
        for (let i = 0; i < 20; i++) results.push(c.write(Buffer.from([i])));
      },
    }).stream('chat', Buffer.alloc(0), later(5_000));
    assert.equal(results.indexOf(false), 15, 'the 16th write asks to wait');
    assert.equal(call!.writableLength, 20);
    for (let i = 0; i < 12; i++) assert.equal((await reader.next()).value?.[0], i);
    assert.equal(drains, 0, 'still 8 queued');
    assert.equal((await reader.next()).value?.[0], 12);
    assert.equal(drains, 1, 'fewer than half the high-water mark queued');
    call!.end();
    assert.equal((await readAll(reader)).messages.length, 7);
  });

  it("delivers the messages written before a handler's error status, then throws it with its metadata", async () => {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_KEY, 'TA_ERR_CHILD_UNAVAILABLE');
    const reader = new InProcessService({
      generate: (c: InProcessStreamCall) => {
        c.write(Buffer.from([1]));
        c.write(Buffer.from([2]));
        c.emit('error', { code: status.UNAVAILABLE, details: 'lost after 2 tokens', metadata });
        assert.equal(c.write(Buffer.from([3])), false, 'no write after the status');
      },
    }).stream('generate', Buffer.alloc(0), later(5_000));
    const { messages, err } = await readAll(reader);
    assert.deepEqual(messages, [1, 2]);
    assert.equal(err?.code, status.UNAVAILABLE);
    assert.equal(err?.details, 'lost after 2 tokens');
    assert.equal(toHttpError(err).status, 503);
    assert.equal(toHttpError(err).body.error.code, 'TA_ERR_CHILD_UNAVAILABLE');
  });

  it('a signal abort and a deadline reach the handler as cancelled and end the reader with CANCELLED / DEADLINE_EXCEEDED', async () => {
    for (const [how, code] of [['abort', status.CANCELLED], ['deadline', status.DEADLINE_EXCEEDED]] as const) {
      const events: string[] = [];
      const abort = new AbortController();
      const service = new InProcessService({
        chat: (c: InProcessStreamCall) => {
          c.once('cancelled', () => events.push(`cancelled:${c.cancelled}`));
          c.write(Buffer.from([1]));
        },
      });
      const reader = service.stream('chat', Buffer.alloc(0), later(how === 'deadline' ? 30 : 5_000), abort.signal);
      assert.equal((await reader.next()).value?.[0], 1);
      if (how === 'abort') setTimeout(() => abort.abort(), 10);
      const { err } = await readAll(reader);
      assert.equal(err?.code, code, how);
      assert.deepEqual(events, ['cancelled:true'], how);
      assert.equal(service.running, 0, how);
    }
  });

  it('answers UNIMPLEMENTED for an unknown method and does not run a stream whose signal already aborted', async () => {
    const unknown = await readAll(new InProcessService({}).stream('nope', Buffer.alloc(0), later(5_000)));
    assert.equal(unknown.err?.code, status.UNIMPLEMENTED);
    let ran = false;
    const abort = new AbortController();
    abort.abort();
    const aborted = await readAll(new InProcessService({ chat: () => { ran = true; } }).stream('chat', Buffer.alloc(0), later(5_000), abort.signal));
    assert.equal(aborted.err?.code, status.CANCELLED);
    assert.equal(ran, false);
  });

  it('close() ends a running stream as shutting down, makes the service idle and refuses new streams', async () => {
    let cancelled = false;
    const service = new InProcessService({ chat: (c: InProcessStreamCall) => c.once('cancelled', () => (cancelled = true)) });
    const reader = service.stream('chat', Buffer.alloc(0), later(5_000));
    const idle = service.whenIdle();
    service.close();
    await idle;
    const { err } = await readAll(reader);
    assert.equal(toHttpError(err).status, 503);
    assert.equal(toHttpError(err).body.error.code, 'TA_ERR_SHUTTING_DOWN');
    assert.equal(cancelled, true);
    const next = await readAll(service.stream('chat', Buffer.alloc(0), later(5_000)));
    assert.equal(toHttpError(next.err).body.error.code, 'TA_ERR_SHUTTING_DOWN');
  });
});
