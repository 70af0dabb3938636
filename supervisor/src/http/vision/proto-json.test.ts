// Unit tests of the Vision messages by reflection: a request encodes to what ts-proto decodes, an
// answer prints in the proto3 JSON mapping with the fields that have no presence, and the schema
// of that output requires exactly those fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DetectFacesRequest, HandsResponse, SegmentResponse } from '@tabagent/protos/v1/vision';
import { VisionMessages } from './proto-json.js';

describe('VisionMessages', () => {
  const m = new VisionMessages();

  it('encodes a request from camelCase options and enum names', () => {
    const bytes = m.encode('DetectFacesRequest', { frame: { encoded: Buffer.from([1, 2, 3]) }, model: 'a/b', options: { maxFaces: 3, minScore: 0.5 } });
    const back = DetectFacesRequest.decode(bytes);
    assert.deepEqual([...back.frame!.encoded], [1, 2, 3]);
    assert.equal(back.model, 'a/b');
    assert.deepEqual(back.options, { maxFaces: 3, minScore: 0.5 });
  });

  it('prints fields without presence, leaves unset messages and optionals out, enums by name and bytes in base64', () => {
    const hands = HandsResponse.encode({ hands: [{ landmarks: [{ x: 0.5, y: 0, z: 0 }], worldLandmarks: [], handedness: { name: 'Left', score: 1 }, presence: 0, gesture: undefined, roi: undefined }], timing: undefined }).finish();
    const json = m.toJson('HandsResponse', m.decode('HandsResponse', hands));
    assert.deepEqual(json, { hands: [{ landmarks: [{ x: 0.5, y: 0, z: 0 }], worldLandmarks: [], handedness: { name: 'Left', score: 1 }, presence: 0 }] });
    const seg = SegmentResponse.encode({ mask: { data: Buffer.from([0, 255]), width: 2, height: 1 }, image: { data: Buffer.alloc(0), width: 0, height: 0, format: 0, encoding: 3 }, timing: undefined }).finish();
    const s = m.toJson('SegmentResponse', m.decode('SegmentResponse', seg));
    assert.deepEqual(s['mask'], { data: Buffer.from([0, 255]).toString('base64'), width: 2, height: 1 });
    assert.equal((s['image'] as Record<string, unknown>)['encoding'], 'IMAGE_ENCODING_PNG');
    assert.deepEqual(m.toJson('HandsResponse', m.decode('HandsResponse', Buffer.alloc(0))), { hands: [] });
  });

  it('gives a schema whose required fields are the ones always printed', () => {
    const s = m.schema('HandsResponse') as { required: string[]; properties: Record<string, { items: { required: string[]; properties: Record<string, { type?: string; items?: { required: string[] } }> } }> };
    assert.deepEqual(s.required, ['hands']);
    const hand = s.properties['hands']!.items;
    assert.deepEqual(hand.required.sort(), ['landmarks', 'presence', 'worldLandmarks']);
    assert.deepEqual(hand.properties['landmarks']!.items!.required, ['x', 'y', 'z']);
    assert.equal((hand.properties['landmarks'] as { description?: string }).description, '21 landmarks.', 'the .proto comment');
    const pose = m.schema('PoseResult') as { properties: Record<string, Record<string, unknown>> };
    assert.deepEqual(pose.properties['jointAngles']!['additionalProperties'], { type: 'number' });
  });
});
