// Unit tests of the gRPC call counting wrappers against fake calls: one sample per call with the
// status of how it ended (OK, the error's status, CANCELLED), the model its request names (canonical;
// "" for none, unknown or NOT_FOUND), and calls marked as coming from the HTTP routes skipped.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { Metadata, status, type ServerUnaryCall, type ServerWritableStream } from '@grpc/grpc-js';
import { SURFACE_KEY } from '@tabagent/common';
import { GenerateRequest } from '@tabagent/protos/v1/text';
import { countStreaming, countUnary, type CallSample } from './request-counting.js';

const label = { field: 1, canonical: (n: string) => (n === 'stories' || n === 'karpathy/stories260K' ? 'karpathy/stories260K' : undefined) };
const req = (model: string): Buffer => Buffer.from(GenerateRequest.encode({ model, prompt: 'x', sampling: undefined, addBos: undefined }).finish());

function fakeCall(model: string, fromHttp = false): EventEmitter & { request: Buffer; metadata: Metadata } {
  const metadata = new Metadata();
  if (fromHttp) metadata.set(SURFACE_KEY, 'http');
  return Object.assign(new EventEmitter(), { request: req(model), metadata });
}

describe('gRPC call counting', () => {
  it('unary: one sample with the status and the canonical model; HTTP loopback calls are skipped', () => {
    const got: CallSample[] = [];
    const obs = { request: (s: CallSample) => void got.push(s) };
    let fail = false;
    const wrapped = countUnary(obs, '/tabagent.v1.Text/Embed', label, (_call, cb) => (fail ? cb({ code: status.NOT_FOUND, details: 'x', metadata: new Metadata(), name: 'e', message: 'x' }) : cb(null, Buffer.alloc(0))));
    const cb = (): void => undefined;
    wrapped(fakeCall('stories') as unknown as ServerUnaryCall<Buffer, Buffer>, cb);
    fail = true;
    wrapped(fakeCall('stories') as unknown as ServerUnaryCall<Buffer, Buffer>, cb);
    wrapped(fakeCall('stories', true) as unknown as ServerUnaryCall<Buffer, Buffer>, cb);
    fail = false;
    let answered = false;
    wrapped(Object.assign(fakeCall('stories'), { request: Buffer.from([0x0a, 0x7f, 0x01]) }) as unknown as ServerUnaryCall<Buffer, Buffer>, () => (answered = true));
    assert.ok(answered, 'malformed request bytes still get their answer');
    assert.deepEqual(got.map((s) => [s.surface, s.method, s.model, s.code]), [
      ['grpc', '/tabagent.v1.Text/Embed', 'karpathy/stories260K', 'OK'],
      ['grpc', '/tabagent.v1.Text/Embed', '', 'NOT_FOUND'],
      ['grpc', '/tabagent.v1.Text/Embed', '', 'OK'],
    ]);
    assert.ok(got.every((s) => s.seconds >= 0));
  });

  it('streams: the first of error, cancel or finish decides the status, once', () => {
    const got: CallSample[] = [];
    const obs = { request: (s: CallSample) => void got.push(s) };
    const calls: EventEmitter[] = [];
    const wrapped = countStreaming(obs, '/tabagent.v1.Text/Generate', label, (call: ServerWritableStream<Buffer, Buffer>) => void calls.push(call as unknown as EventEmitter));
    for (const model of ['karpathy/stories260K', 'nobody/else', '']) wrapped(fakeCall(model) as unknown as ServerWritableStream<Buffer, Buffer>);
    calls[0]!.emit('finish');
    calls[0]!.emit('error', { code: status.INTERNAL });
    calls[1]!.emit('error', { code: status.UNAVAILABLE });
    calls[1]!.emit('finish');
    calls[2]!.emit('cancelled');
    assert.deepEqual(got.map((s) => [s.model, s.code]), [['karpathy/stories260K', 'OK'], ['', 'UNAVAILABLE'], ['', 'CANCELLED']]);
  });
});
