// The face of the holistic pipeline: face mesh on an ROI derived from the pose (the pose's guess, then,
// unless that already matched, the ROI of the first pass's landmarks), or in tracking mode on the ROI of the previous
// frame's mesh while that still agrees with the pose. Owns its buffers, so it can run concurrently
// with the hand parts.

import type * as ort from 'onnxruntime-node';
import { landmarksBounds } from '../../vision/calculators/landmarks-to-detection.js';
import { faceRoiFromLandmarks } from '../../vision/face-mesh/roi.js';
import { runMeshModel } from '../../vision/face-mesh/mesh-model.js';
import { BufferPool } from '../../vision/image/buffer-pool.js';
import type { FaceMeshResult, Landmark, NormalizedRect, RgbImage } from '../../vision/types.js';
import { faceRoiFromPose, POSE_FACE_POINTS } from './holistic-roi.js';
import { canKeepTrackedRoi, FACE_TRACKING_REQUIREMENTS, roiConverged } from './roi-tracking.js';

export interface PartRunInfo {
  /** Landmark model runs on this frame (0 when the part was skipped). */
  passes: number;
  /** Whether the ROI came from the previous frame's landmarks. */
  tracked: boolean;
}

export class FacePart {
  private readonly pool = new BufferPool();
  private tracked: NormalizedRect | undefined;
  /** What the last run did. */
  info: PartRunInfo = { passes: 0, tracked: false };

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly refine: boolean,
    private readonly minPresence: number,
  ) {}

  /** Face mesh for the person whose 33 pose landmarks are given; undefined when no face is present. */
  async run(image: RgbImage, pose: readonly Landmark[], tracking: boolean): Promise<FaceMeshResult | undefined> {
    this.info = { passes: 0, tracked: false };
    const fromPose = faceRoiFromPose(pose, image);
    const previous = this.tracked;
    this.tracked = undefined;
    if (tracking && previous !== undefined && canKeepTrackedRoi(previous, fromPose, anchors(pose), image, FACE_TRACKING_REQUIREMENTS)) {
      const face = await this.mesh(image, previous);
      this.info.tracked = true;
      if (face !== undefined) return face;
    }
    const first = await runMeshModel(this.session, image, fromPose, this.pool, this.refine);
    this.info.passes++;
    const refined = faceRoiFromLandmarks(first.landmarks, image);
    // The pose's guess was already right: keep the first pass instead of running the model again.
    if (first.presence >= this.minPresence && roiConverged(fromPose, refined, image)) {
      this.tracked = refined;
      return { landmarks: first.landmarks, presence: first.presence, roi: fromPose, box: landmarksBounds(first.landmarks) };
    }
    return this.mesh(image, refined);
  }

  reset(): void {
    this.tracked = undefined;
  }

  dispose(): void {
    this.tracked = undefined;
    this.pool.clear();
  }

  private async mesh(image: RgbImage, roi: NormalizedRect): Promise<FaceMeshResult | undefined> {
    const { landmarks, presence } = await runMeshModel(this.session, image, roi, this.pool, this.refine);
    this.info.passes++;
    if (presence < this.minPresence) return undefined;
    this.tracked = faceRoiFromLandmarks(landmarks, image);
    return { landmarks, presence, roi, box: landmarksBounds(landmarks) };
  }
}

/** Pose eyes and mouth corners: they must stay well inside a tracked face ROI. */
function anchors(pose: readonly Landmark[]): Landmark[] {
  const f = POSE_FACE_POINTS;
  return [f.leftEye, f.rightEye, f.mouthLeft, f.mouthRight].map((i) => pose[i]!);
}
