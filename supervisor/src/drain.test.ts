// Unit tests of InFlightCalls: unary calls count until their callback, streams until they finish,
// fail or are cancelled; whenIdle resolves only when none is left.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { InFlightCalls } from './drain.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('InFlightCalls', () => {
  it('counts unary calls until their callback and streams until finish, error or cancel', async () => {
    const calls = new InFlightCalls();
    const callbacks: Array<() => void> = [];
    const impl = calls.wrap({
      unaryMethod: (_call: unknown, cb: (e: null, r: string) => void) => callbacks.push(() => cb(null, 'ok')),
      streamMethod: () => undefined,
    } as unknown as UntypedServiceImplementation) as unknown as Record<string, (call: EventEmitter, cb?: (...a: unknown[]) => void) => void>;

    const replies: unknown[] = [];
    impl['unaryMethod']!(new EventEmitter(), (...a) => replies.push(a));
    const streams = [new EventEmitter(), new EventEmitter(), new EventEmitter()];
    for (const s of streams) impl['streamMethod']!(s);
    assert.equal(calls.count, 4);

    let idle = false;
    void calls.whenIdle().then(() => (idle = true));
    callbacks[0]!();
    assert.deepEqual(replies, [[null, 'ok']]);
    streams[0]!.emit('finish');
    streams[1]!.emit('error', new Error('x'));
    streams[1]!.emit('close'); // counted once however many end events follow
    await tick();
    assert.equal(calls.count, 1);
    assert.equal(idle, false);
    streams[2]!.emit('cancelled');
    await tick();
    assert.equal(calls.count, 0);
    assert.equal(idle, true);
  });

  it('is idle at once when nothing is in flight', async () => {
    await new InFlightCalls().whenIdle();
  });
});
