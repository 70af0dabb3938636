// Holistic pipeline (MediaPipe Holistic): pose first; then face mesh and both hands on ROIs derived
// from the pose landmarks, awaited together since they are independent once the ROIs are known (they
// overlap when given WorkerSessions).
// 33 + 468 (or 478 refined) + 21 + 21 landmarks per person, tied to the frame timestamp. In tracking
// mode the pose is tracked and smoothed, and each part reuses its previous landmark ROI while it
// agrees with the pose; in image mode every call starts from scratch.

import { hasRefinementOutputs } from '../../vision/face-mesh/mesh-model.js';
import { checkBoolean, checkUnit } from '../../vision/options.js';
import { DEFAULT_FRAME_LIMITS, type FrameLimits } from '../../vision/image/convert.js';
import { invalidArgument } from '../../vision/errors.js';
import { PoseTracker, type PoseTrackerOptions } from '../../vision/pose/pose-tracker.js';
import { SerialFrames } from '../../vision/shared/serial-frames.js';
import type { Frame, RgbImage } from '../../vision/types.js';
import { FacePart } from './face-part.js';
import { HandPart } from './hand-part.js';
import { countLandmarks, emptyHolisticTimings, type HolisticOptions, type HolisticResult, type HolisticSessions, type HolisticTimings } from './holistic-types.js';

export class HolisticPipeline {
  /** Tracking (VIDEO) mode, fixed at construction. */
  readonly tracking: boolean;
  /** Whether faces get 478 landmarks. */
  readonly refineFace: boolean;
  private readonly frames: SerialFrames;
  private readonly pose: PoseTracker;
  private readonly face: FacePart;
  private readonly leftHand: HandPart;
  private readonly rightHand: HandPart;
  /** Frames processed, pose detector runs, and landmark model runs of face and hands since creation. */
  readonly stats = { frames: 0, detectorRuns: 0, faceRuns: 0, handRuns: 0 };
  timings: HolisticTimings = emptyHolisticTimings();

  /** Sessions stay owned by the caller. Throws VISION_INVALID_ARGUMENT naming a bad option. */
  constructor(sessions: HolisticSessions, options: HolisticOptions = {}) {
    if (options === null || typeof options !== 'object') throw invalidArgument('options', 'must be an object');
    this.tracking = options.tracking === undefined ? false : checkBoolean(options.tracking, 'tracking');
    const capable = hasRefinementOutputs(sessions.faceMesh);
    const refine = options.refineFace === undefined ? capable : checkBoolean(options.refineFace, 'refineFace');
    if (refine && !capable) throw invalidArgument('refineFace', 'refined face landmarks need the attention face mesh model');
    this.refineFace = refine;
    const limits: FrameLimits = options.limits ?? DEFAULT_FRAME_LIMITS;
    this.frames = new SerialFrames('holistic pipeline', limits);
    const poseOptions: PoseTrackerOptions = {
      smoothing: options.smoothing === undefined ? this.tracking : checkBoolean(options.smoothing, 'smoothing'),
      limits,
    };
    if (options.minDetectionConfidence !== undefined) poseOptions.minDetectionConfidence = options.minDetectionConfidence;
    if (options.minPresenceConfidence !== undefined) poseOptions.minPresenceConfidence = options.minPresenceConfidence;
    if (options.segmentation !== undefined) poseOptions.segmentation = options.segmentation;
    if (options.jointAngles !== undefined) poseOptions.jointAngles = options.jointAngles;
    if (options.redetectInterval !== undefined) poseOptions.redetectInterval = options.redetectInterval;
    this.pose = new PoseTracker({ detector: sessions.poseDetector, landmarks: sessions.poseLandmarks }, poseOptions);
    const unit = (v: number | undefined, field: string, d: number): number => (v === undefined ? d : checkUnit(v, field));
    this.face = new FacePart(sessions.faceMesh, refine, unit(options.minFacePresence, 'minFacePresence', 0.5));
    const handOptions = {
      minPresence: unit(options.minHandPresence, 'minHandPresence', 0.5),
      minWristVisibility: unit(options.minWristVisibility, 'minWristVisibility', 0.1),
      gestures: options.gestures === undefined ? true : checkBoolean(options.gestures, 'gestures'),
    };
    this.leftHand = new HandPart(sessions.handLandmarks, 'left', handOptions);
    this.rightHand = new HandPart(sessions.handLandmarks, 'right', handOptions);
  }

  /** Decodes/converts the frame, then runs pose, face and hands. */
  process(frame: Frame, timestampUs?: number): Promise<HolisticResult> {
    return this.frames.decode(frame, (image) => this.step(image, timestampUs), (ms) => {
      this.timings.decodeMs = ms;
      this.timings.totalMs += ms;
    });
  }

  /** Same as process() on already decoded RGB. */
  runRgb(image: RgbImage, timestampUs?: number): Promise<HolisticResult> {
    return this.frames.run(() => this.step(image, timestampUs));
  }

  /** Forgets the pose track, smoothing history and part ROIs. */
  reset(): void {
    this.pose.reset();
    this.face.reset();
    this.leftHand.reset();
    this.rightHand.reset();
  }

  /** Idempotent; sessions stay owned by the caller. */
  dispose(): void {
    if (!this.frames.dispose()) return;
    this.pose.dispose();
    this.face.dispose();
    this.leftHand.dispose();
    this.rightHand.dispose();
  }

  private async step(image: RgbImage, timestampUs: number | undefined): Promise<HolisticResult> {
    if (!this.tracking) this.reset();
    const t0 = performance.now();
    const tracked = await this.pose.runRgb(image, timestampUs);
    const t1 = performance.now();
    this.stats.frames++;
    if (tracked.detectorRan) this.stats.detectorRuns++;
    const pose = tracked.poses[0];
    const result: HolisticResult = { landmarkCount: 0, frameIndex: tracked.frameIndex, timestampUs: tracked.timestampUs, detectorRan: tracked.detectorRan };
    if (pose === undefined) {
      this.face.reset();
      this.leftHand.reset();
      this.rightHand.reset();
    } else {
      result.pose = pose;
      // Independent once the ROIs are known, so they are awaited together: with WorkerSession models the
      // three inferences overlap; in-process onnxruntime-node sessions still run one after another.
      const [face, left, right] = await Promise.all([
        this.face.run(image, pose.landmarks, this.tracking),
        this.leftHand.run(image, pose.landmarks, this.tracking),
        this.rightHand.run(image, pose.landmarks, this.tracking),
      ]);
      if (face !== undefined) result.face = face;
      if (left !== undefined) result.leftHand = left;
      if (right !== undefined) result.rightHand = right;
      this.stats.faceRuns += this.face.info.passes;
      this.stats.handRuns += this.leftHand.info.passes + this.rightHand.info.passes;
    }
    result.landmarkCount = countLandmarks(result);
    const t2 = performance.now();
    this.timings = { decodeMs: 0, poseMs: t1 - t0, partsMs: t2 - t1, totalMs: t2 - t0 };
    return result;
  }
}

export type { HolisticOptions, HolisticResult, HolisticSessions, HolisticTimings } from './holistic-types.js';
