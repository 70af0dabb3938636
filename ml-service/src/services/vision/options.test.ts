// Option validation and proto Frame mapping: defaults, and INVALID_ARGUMENT naming the proto field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Frame, ImageEncoding, PixelFormat, PoseModel } from '@tabagent/protos/v1/vision';
import { VisionError } from '../../vision/errors.js';
import { toPipelineFrame } from './frame-input.js';
import { faceDetectionSettings, faceMeshSettings, handsSettings, poseSettings, segmentSettings } from './options.js';

const rejects = (field: string) => (err: unknown): boolean =>
  err instanceof VisionError && err.code === 'VISION_INVALID_ARGUMENT' && err.field === field && err.message.startsWith(`${field}:`);

describe('option validation', () => {
  it('fills the documented defaults', () => {
    assert.deepEqual(faceDetectionSettings(undefined), { maxFaces: 10, minScore: 0.5 });
    assert.deepEqual(faceMeshSettings({ maxFaces: 0, refineLandmarks: true }), { maxFaces: 1, minScore: 0.5, refine: true });
    assert.deepEqual(handsSettings({ maxHands: 0, minScore: 0.25, selfie: true, lite: false }), { maxHands: 2, minScore: 0.25, selfie: true });
    assert.deepEqual(poseSettings({ complexity: PoseModel.POSE_MODEL_LITE, segmentation: true }), { minScore: 0.5, segmentation: true });
    assert.deepEqual(segmentSettings(undefined), { modelSizeMask: false, effect: { kind: 'none' }, encoding: ImageEncoding.IMAGE_ENCODING_UNSPECIFIED });
  });

  it('rejects NaN and out-of-range values naming the field, with a prefix for Track options', () => {
    assert.throws(() => faceDetectionSettings({ maxFaces: 0, minScore: Number.NaN }), rejects('options.min_score'));
    assert.throws(() => faceDetectionSettings({ maxFaces: 101 }), rejects('options.max_faces'));
    assert.throws(() => faceMeshSettings({ maxFaces: 1, minScore: -0.01, refineLandmarks: false }, 'options.face_mesh'), rejects('options.face_mesh.min_score'));
    assert.throws(() => handsSettings({ maxHands: 11, selfie: false, lite: false }), rejects('options.max_hands'));
    assert.throws(() => poseSettings({ complexity: 7 as PoseModel, segmentation: false }), rejects('options.complexity'));
    assert.throws(() => poseSettings({ complexity: 0, segmentation: false, minScore: Infinity }), rejects('options.min_score'));
  });

  it('validates segmentation effects', () => {
    assert.deepEqual(segmentSettings({ modelSizeMask: true, effect: { backgroundColor: 0x102030 }, outputEncoding: ImageEncoding.IMAGE_ENCODING_PNG, landscape: false }), {
      modelSizeMask: true, effect: { kind: 'color', color: [0x10, 0x20, 0x30] }, encoding: ImageEncoding.IMAGE_ENCODING_PNG,
    });
    assert.deepEqual(segmentSettings({ modelSizeMask: false, effect: { blurRadius: 12 }, outputEncoding: 0, landscape: false }).effect, { kind: 'blur', radius: 12 });
    assert.throws(() => segmentSettings({ modelSizeMask: false, effect: { blurRadius: 0 }, outputEncoding: 0, landscape: false }), rejects('options.effect.blur_radius'));
    assert.throws(() => segmentSettings({ modelSizeMask: false, effect: { blurRadius: 101 }, outputEncoding: 0, landscape: false }), rejects('options.effect.blur_radius'));
    assert.throws(() => segmentSettings({ modelSizeMask: false, effect: { backgroundColor: 0x1000000 }, outputEncoding: 0, landscape: false }), rejects('options.effect.background_color'));
    assert.throws(() => segmentSettings({ modelSizeMask: false, effect: undefined, outputEncoding: 9 as ImageEncoding, landscape: false }), rejects('options.output_encoding'));
  });
});

describe('proto Frame → pipeline frame', () => {
  it('maps raw layouts, stride and encoded bytes', () => {
    const data = Buffer.alloc(2 * 2 * 4);
    assert.deepEqual(toPipelineFrame(Frame.fromPartial({ data, width: 2, height: 2, format: PixelFormat.PIXEL_FORMAT_BGRA })), { data, width: 2, height: 2, format: 'BGRA' });
    assert.deepEqual(toPipelineFrame(Frame.fromPartial({ data, width: 1, height: 2, format: PixelFormat.PIXEL_FORMAT_GRAY, stride: 8 })), { data, width: 1, height: 2, format: 'GRAY', stride: 8 });
    const encoded = Buffer.from([0xff, 0xd8]);
    assert.deepEqual(toPipelineFrame(Frame.fromPartial({ encoded })), { encoded });
  });

  it('names the missing or contradictory field', () => {
    assert.throws(() => toPipelineFrame(undefined), rejects('frame'));
    assert.throws(() => toPipelineFrame(Frame.fromPartial({})), rejects('frame'));
    assert.throws(() => toPipelineFrame(Frame.fromPartial({ data: Buffer.alloc(3), encoded: Buffer.alloc(3) })), rejects('frame'));
    assert.throws(() => toPipelineFrame(Frame.fromPartial({ data: Buffer.alloc(3), width: 1, height: 1 })), rejects('frame.format'));
    assert.throws(() => toPipelineFrame(Frame.fromPartial({}), 'options.effect.background_image'), rejects('options.effect.background_image'));
  });
});
