// Hands, Pose and Segment on single frames: options validated, models from the call's roles,
// pipelines pooled per model combination, results mapped to the proto.
import type { Metadata } from '@grpc/grpc-js';
import { VISION_TASKS } from '@tabagent/common';
import type { HandsRequest, HandsResponse, PoseRequest, PoseResponse, SegmentRequest, SegmentResponse } from '@tabagent/protos/v1/vision';
import type { LoadedModels } from '../../runtime/loaded-models.js';
import { HandPipeline } from '../../vision/hands/hand-pipeline.js';
import { PosePipeline } from '../../vision/pose/pose-pipeline.js';
import { SEGMENTATION_KINDS, SegmentationPipeline, type SegmentationModelKind } from '../../vision/segmentation/segmentation-pipeline.js';
import { requestRoles, taskModels, withModels, type VisionModel } from './models.js';
import { handsSettings, poseSettings, segmentSettings } from './options.js';
import { cachedPool, PipelinePool } from './pipeline-pool.js';
import { runFrame } from './run-frame.js';
import { regionsOf } from './shared-frame.js';
import { renderSegment } from './segment-output.js';
import { timedSession } from './stage-clock.js';
import { asBuffer, handToProto, poseToProto } from './to-proto.js';

/** Hand pipeline instances over the palm detector and a landmark model. */
export function handPool(palm: VisionModel, landmarks: VisionModel): PipelinePool<HandPipeline> {
  return cachedPool([palm, landmarks], 'hands', () => new PipelinePool<HandPipeline>(
    (clock) => new HandPipeline({ palm: timedSession(palm.session, clock), landmarks: timedSession(landmarks.session, clock) }, { ownsSessions: false }),
    (p) => p.dispose(),
  ));
}

/** Pose pipeline instances over the person detector and a landmark model. */
export function posePool(detector: VisionModel, landmarks: VisionModel): PipelinePool<PosePipeline> {
  return cachedPool([detector, landmarks], 'pose', () => new PipelinePool<PosePipeline>(
    (clock) => new PosePipeline({ detector: timedSession(detector.session, clock), landmarks: timedSession(landmarks.session, clock) }, { ownsSessions: false }),
    (p) => p.dispose(),
  ));
}

/** Which segmentation network a model is: its `params.kind`, else the landscape one has a non-square input. */
export function segmentationKind(model: VisionModel): SegmentationModelKind {
  const kind = model.loaded.params['kind'];
  if (typeof kind === 'string' && (SEGMENTATION_KINDS as readonly string[]).includes(kind)) return kind as SegmentationModelKind;
  const size = model.loaded.params['inputSize'] as { width?: unknown; height?: unknown } | undefined;
  if (size && typeof size.width === 'number' && typeof size.height === 'number') return size.width === size.height ? 'selfie' : 'meet';
  return /meet|landscape/.test(model.id) ? 'meet' : 'selfie';
}

/** Segmentation pipeline instances over one model. */
export function segmentPool(model: VisionModel): PipelinePool<SegmentationPipeline> {
  const kind = segmentationKind(model);
  return cachedPool([model], `segment|${kind}`, () => new PipelinePool<SegmentationPipeline>(
    (clock) => new SegmentationPipeline(timedSession(model.session, clock), { kind, ownsSessions: false }),
    (p) => p.dispose(),
  ));
}

/** The Vision body methods bound to the child's loaded models. */
export function bodyMethods(loadedModels: LoadedModels) {
  return {
    async hands(req: HandsRequest, metadata: Metadata): Promise<HandsResponse> {
      const arrived = performance.now();
      const s = handsSettings(req.options);
      const m = taskModels(loadedModels, requestRoles(metadata, VISION_TASKS.hands, req.model), VISION_TASKS.hands);
      const pool = handPool(m.detector, m.landmarks);
      const opts = { maxHands: s.maxHands, minDetectionConfidence: s.minScore, selfieMirrored: s.selfie };
      const r = await withModels([m.detector, m.landmarks], () => runFrame(pool, req.frame, regionsOf(metadata), arrived, (i, image) =>
        i.value.runRgb(image, { ...opts, minPresenceConfidence: 0.5, gestures: true })));
      return { hands: r.value.map(handToProto), timing: r.timing };
    },

    async pose(req: PoseRequest, metadata: Metadata): Promise<PoseResponse> {
      const arrived = performance.now();
      const s = poseSettings(req.options);
      const m = taskModels(loadedModels, requestRoles(metadata, VISION_TASKS.pose, req.model), VISION_TASKS.pose);
      const pool = posePool(m.detector, m.landmarks);
      const r = await withModels([m.detector, m.landmarks], () => runFrame(pool, req.frame, regionsOf(metadata), arrived, (i, image) =>
        i.value.runRgb(image, { maxPoses: 1, minDetectionConfidence: s.minScore, minPresenceConfidence: 0.5, segmentation: s.segmentation, jointAngles: true })));
      return { poses: r.value.map(poseToProto), timing: r.timing };
    },

    async segment(req: SegmentRequest, metadata: Metadata): Promise<SegmentResponse> {
      const arrived = performance.now();
      const s = segmentSettings(req.options);
      const { segmenter: model } = taskModels(loadedModels, requestRoles(metadata, VISION_TASKS.segment, req.model), VISION_TASKS.segment);
      const pool = segmentPool(model);
      // The effect runs inside the call: a converted raw frame lives in the instance's buffers.
      const r = await withModels([model], () => runFrame(pool, req.frame, regionsOf(metadata), arrived, async (i, image, rawFormat) => {
        const mask = await i.value.runRgb(image, s.modelSizeMask);
        return { mask, image: await renderSegment(image, rawFormat, mask, s) };
      }));
      const { mask, image } = r.value;
      return { mask: { data: asBuffer(mask.data), width: mask.width, height: mask.height }, image, timing: r.timing };
    },
  };
}
