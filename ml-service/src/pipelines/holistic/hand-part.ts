// One hand of the holistic pipeline: the hand landmark model (no palm detector) on an ROI derived from
// the pose's wrist, pinky and index points (the pose's guess, then, unless that already matched, the ROI
// of the first pass's landmarks), or in tracking mode on the previous frame's landmark ROI while that still agrees
// with the pose. Owns its buffers, so both hands and the face can run concurrently.

import type * as ort from 'onnxruntime-node';
import { BufferPool } from '../../vision/image/buffer-pool.js';
import { HandLandmarkModel, type RawHandLandmarks } from '../../vision/hands/hand-landmarks.js';
import { buildHandResult, type HandResult } from '../../vision/hands/hand-result.js';
import { landmarksToHandRect } from '../../vision/hands/hand-roi.js';
import type { Landmark, NormalizedRect, RgbImage } from '../../vision/types.js';
import type { PartRunInfo } from './face-part.js';
import { handRoiFromPose, POSE_HAND_POINTS, type BodySide } from './holistic-roi.js';
import { canKeepTrackedRoi, HAND_TRACKING_REQUIREMENTS, roiConverged } from './roi-tracking.js';

export interface HandPartOptions {
  /** Hand presence below this drops the hand. */
  minPresence: number;
  /** Skip the hand when the pose's wrist visibility is below this (MediaPipe: 0.1). */
  minWristVisibility: number;
  gestures: boolean;
}

export class HandPart {
  private readonly pool = new BufferPool();
  private readonly model: HandLandmarkModel;
  private tracked: NormalizedRect | undefined;
  info: PartRunInfo = { passes: 0, tracked: false };

  constructor(
    session: ort.InferenceSession,
    private readonly side: BodySide,
    private readonly options: HandPartOptions,
  ) {
    this.model = new HandLandmarkModel(session, this.pool);
  }

  /** The hand on this side of the person whose 33 pose landmarks are given, if visible. */
  async run(image: RgbImage, pose: readonly Landmark[], tracking: boolean): Promise<HandResult | undefined> {
    this.info = { passes: 0, tracked: false };
    const previous = this.tracked;
    this.tracked = undefined;
    const points = POSE_HAND_POINTS[this.side];
    const wrist = pose[points.wrist]!;
    const visibility = wrist.visibility ?? 1;
    if (visibility < this.options.minWristVisibility) return undefined;
    const fromPose = handRoiFromPose(pose, this.side, image);
    const anchors = [wrist, pose[points.index]!];
    if (tracking && previous !== undefined && canKeepTrackedRoi(previous, fromPose, anchors, image, HAND_TRACKING_REQUIREMENTS)) {
      const hand = await this.landmarks(image, previous, visibility);
      this.info.tracked = true;
      if (hand !== undefined) return hand;
    }
    const first = await this.model.run(image, fromPose);
    this.info.passes++;
    const refined = landmarksToHandRect(first.landmarks, image);
    // The pose's guess was already right: keep the first pass instead of running the model again.
    if (first.presence >= this.options.minPresence && roiConverged(fromPose, refined, image)) return this.accept(image, first, fromPose, refined, visibility);
    return this.landmarks(image, refined, visibility);
  }

  reset(): void {
    this.tracked = undefined;
  }

  dispose(): void {
    this.tracked = undefined;
    this.pool.clear();
  }

  private async landmarks(image: RgbImage, roi: NormalizedRect, visibility: number): Promise<HandResult | undefined> {
    const raw = await this.model.run(image, roi);
    this.info.passes++;
    if (raw.presence < this.options.minPresence) return undefined;
    return this.accept(image, raw, roi, landmarksToHandRect(raw.landmarks, image), visibility);
  }

  private accept(image: RgbImage, raw: RawHandLandmarks, roi: NormalizedRect, next: NormalizedRect, visibility: number): HandResult {
    this.tracked = next;
    const hand = buildHandResult(raw, roi, visibility, image, { selfieMirrored: false, gestures: this.options.gestures });
    // The side comes from the pose; the score is the model's agreement with it (unmirrored frames).
    hand.handedness = this.side === 'left' ? { label: 'Left', score: 1 - raw.rightScore } : { label: 'Right', score: raw.rightScore };
    return hand;
  }
}
