// Unit tests of the Track proxy's wire functions against messages encoded by the generated code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TrackRequest, TrackResponse, TrackTask } from '@tabagent/protos/v1/vision';
import { droppedResponse, requestHeader, requestOptions, responseFacts, responseTimestamps, withOptions } from './track-wire.js';

const enc = (m: TrackRequest): Buffer => Buffer.from(TrackRequest.encode(m).finish());

describe('track wire functions', () => {
  const ts = 1_795_316_456_589_123;
  const frame = { encoded: Buffer.alloc(300_000, 7) };

  it('reads timestamp, task and options presence without decoding the frame', () => {
    const h = requestHeader(enc(TrackRequest.fromPartial({ timestampUs: ts, task: TrackTask.TRACK_TASK_FACES, frame })));
    assert.deepEqual(h, { timestampUs: ts, task: TrackTask.TRACK_TASK_FACES, hasOptions: false });
    const withOpts = enc(TrackRequest.fromPartial({ timestampUs: 5, task: TrackTask.TRACK_TASK_POSE, frame, options: { detectEvery: 3, noSmoothing: true } }));
    assert.equal(requestHeader(withOpts).hasOptions, true);
    assert.ok(requestOptions(withOpts));
  });

  it('prefixes remembered options so the child decodes them with the frame', () => {
    const first = enc(TrackRequest.fromPartial({ timestampUs: 1, task: TrackTask.TRACK_TASK_HANDS, frame, options: { detectEvery: 4, hands: { lite: true, maxHands: 1, minScore: 0.6 } } }));
    const later = enc(TrackRequest.fromPartial({ timestampUs: 99, task: TrackTask.TRACK_TASK_HANDS, frame }));
    const merged = TrackRequest.decode(withOptions(later, requestOptions(first)!));
    assert.equal(merged.timestampUs, 99);
    assert.equal(merged.task, TrackTask.TRACK_TASK_HANDS);
    assert.equal(merged.options?.detectEvery, 4);
    assert.equal(merged.options?.hands?.lite, true);
    assert.equal(merged.frame?.encoded.length, 300_000);
  });

  it('lists the timestamps a response accounts for, including packed skipped frames', () => {
    const res = Buffer.from(TrackResponse.encode(TrackResponse.fromPartial({ timestampUs: ts, droppedTimestampsUs: [ts - 66_000, ts - 33_000], faces: { faces: [] } })).finish());
    assert.deepEqual(responseTimestamps(res), [ts, ts - 66_000, ts - 33_000]);
  });

  it('reads task and status of a response in the same scan (for the frame counters)', () => {
    const res = Buffer.from(TrackResponse.encode(TrackResponse.fromPartial({ timestampUs: ts, task: TrackTask.TRACK_TASK_HANDS, droppedTimestampsUs: [ts - 1], hands: { hands: [] } })).finish());
    assert.deepEqual(responseFacts(res), { timestamps: [ts, ts - 1], task: TrackTask.TRACK_TASK_HANDS, noResult: false });
    const none = droppedResponse({ timestampUs: ts, task: TrackTask.TRACK_TASK_POSE, hasOptions: false }, 'dropped: restarting');
    assert.deepEqual(responseFacts(none), { timestamps: [ts], task: TrackTask.TRACK_TASK_POSE, noResult: true });
  });

  it('builds a dropped result that echoes the frame', () => {
    const r = TrackResponse.decode(droppedResponse({ timestampUs: ts, task: TrackTask.TRACK_TASK_FACE_MESH, hasOptions: false }, 'dropped: restarting'));
    assert.equal(r.timestampUs, ts);
    assert.equal(r.task, TrackTask.TRACK_TASK_FACE_MESH);
    assert.equal(r.status, 'dropped: restarting');
  });
});
