// Track runners for hands and pose (VIDEO-mode trackers with smoothing), holistic (tracked pose with
// face and hands) and segmentation (mask plus optional background effect).
import { VISION_TASKS } from '@tabagent/common';
import { HandTracker } from '../../../vision/hands/hand-tracker.js';
import { PoseTracker } from '../../../vision/pose/pose-tracker.js';
import { SegmentationPipeline } from '../../../vision/segmentation/segmentation-pipeline.js';
import { segmentationKind } from '../body-methods.js';
import { holisticModels, holisticPipeline, holisticToProto } from '../holistic.js';
import { taskModels } from '../models.js';
import { handsSettings, poseSettings, segmentSettings } from '../options.js';
import { renderSegment } from '../segment-output.js';
import { timedSession } from '../stage-clock.js';
import { asBuffer, handToProto, poseToProto } from '../to-proto.js';
import { redetectInterval, type RunnerContext, type RunnerFrame, type RunnerOutput, type TaskRunner } from './runner.js';

/** HANDS: palm detection seeds tracks, then each hand's ROI follows its landmarks. */
export function handsRunner(ctx: RunnerContext): TaskRunner {
  const s = handsSettings(ctx.options.hands, 'options.hands');
  const m = taskModels(ctx.loadedModels, ctx.roles, VISION_TASKS.hands);
  const tracker = new HandTracker(
    { palm: timedSession(m.detector.session, ctx.clock), landmarks: timedSession(m.landmarks.session, ctx.clock) },
    {
      maxHands: s.maxHands, minDetectionConfidence: s.minScore, selfieMirrored: s.selfie,
      redetectInterval: redetectInterval(ctx.options.detectEvery), smoothing: !ctx.options.noSmoothing,
    },
  );
  return {
    models: [m.detector, m.landmarks],
    async run(frame: RunnerFrame): Promise<RunnerOutput> {
      const r = await tracker.runRgb(frame.image, frame.timestampUs);
      return { detectorRan: r.detectorRan, result: { hands: { hands: r.hands.map(handToProto), timing: undefined } } };
    },
    dispose: () => tracker.dispose(),
  };
}

/** POSE: the detector seeds the track, then each frame's ROI follows the previous landmarks. */
export function poseRunner(ctx: RunnerContext): TaskRunner {
  const s = poseSettings(ctx.options.pose, 'options.pose');
  const m = taskModels(ctx.loadedModels, ctx.roles, VISION_TASKS.pose);
  const tracker = new PoseTracker(
    { detector: timedSession(m.detector.session, ctx.clock), landmarks: timedSession(m.landmarks.session, ctx.clock) },
    {
      minDetectionConfidence: s.minScore, segmentation: s.segmentation, jointAngles: true,
      redetectInterval: redetectInterval(ctx.options.detectEvery), smoothing: !ctx.options.noSmoothing,
    },
  );
  return {
    models: [m.detector, m.landmarks],
    async run(frame: RunnerFrame): Promise<RunnerOutput> {
      const r = await tracker.runRgb(frame.image, frame.timestampUs);
      return { detectorRan: r.detectorRan, result: { pose: { poses: r.poses.map(poseToProto), timing: undefined } } };
    },
    dispose: () => tracker.dispose(),
  };
}

/** HOLISTIC: the pose is tracked; face and hands follow from it (smoothed unless no_smoothing). */
export function holisticRunner(ctx: RunnerContext): TaskRunner {
  const s = poseSettings(ctx.options.pose, 'options.pose');
  const models = holisticModels(ctx.loadedModels, ctx.roles);
  const pipeline = holisticPipeline(models, ctx.clock, {
    tracking: true, smoothing: !ctx.options.noSmoothing, minDetectionConfidence: s.minScore, segmentation: s.segmentation,
    redetectInterval: redetectInterval(ctx.options.detectEvery), refineFace: false,
  }, ctx.log);
  return {
    models: Object.values(models),
    async run(frame: RunnerFrame): Promise<RunnerOutput> {
      const r = await pipeline.runRgb(frame.image, frame.timestampUs);
      return { detectorRan: r.detectorRan, result: { holistic: holisticToProto(r) } };
    },
    dispose: () => pipeline.dispose(),
  };
}

/** SEGMENT: the person mask of every frame, with the stream's background effect when set. */
export function segmentRunner(ctx: RunnerContext): TaskRunner {
  const s = segmentSettings(ctx.options.segment, 'options.segment');
  const { segmenter: model } = taskModels(ctx.loadedModels, ctx.roles, VISION_TASKS.segment);
  const pipeline = new SegmentationPipeline(timedSession(model.session, ctx.clock), { kind: segmentationKind(model), ownsSessions: false });
  return {
    models: [model],
    async run(frame: RunnerFrame): Promise<RunnerOutput> {
      const mask = await pipeline.runRgb(frame.image, s.modelSizeMask);
      const image = await renderSegment(frame.image, frame.rawFormat, mask, s);
      const out = { mask: { data: asBuffer(mask.data), width: mask.width, height: mask.height }, image, timing: undefined };
      return { detectorRan: false, result: { segment: out } };
    },
    dispose: () => pipeline.dispose(),
  };
}
