// VIDEO-mode pose tracker (MediaPipe pose_landmark with tracking): the person detector seeds the track;
// afterwards the ROI of frame t+1 comes from frame t's (smoothed) auxiliary landmarks. The detector runs
// only when nothing is tracked (start, or the pose presence fell below minPresenceConfidence), or in
// addition every `redetectInterval` frames. Landmarks, world landmarks and visibility are smoothed on
// the frame timestamps (one-euro, MediaPipe's presets), and person masks blended with the previous one,
// unless smoothing is off. One tracker per stream.

import type * as ort from 'onnxruntime-node';
import { resolveTrackingOptions, SerialTracker } from '../shared/serial-tracker.js';
import { DEFAULT_FRAME_LIMITS, type FrameLimits } from '../image/convert.js';
import { unprojectMask } from '../shared/mask-resize.js';
import { MaskSmoother } from '../shared/mask-smoothing.js';
import { rectIou } from '../shared/rect-iou.js';
import { emptyTimings, type NormalizedRect, type RgbImage } from '../types.js';
import { computeJointAngles } from './joint-angles.js';
import { PoseDetector, poseDetectionToRect } from './pose-detector.js';
import { POSE_LANDMARK_INPUT_SIZE, POSE_LANDMARKS, PoseLandmarkModel } from './pose-landmarks.js';
import { resolvePoseOptions, type PoseRequestOptions, type PoseResult } from './pose-pipeline.js';
import { poseRoiFromLandmarks, roiLandmarks } from './pose-roi.js';
import { PoseSmoother } from './pose-smoothing.js';

export interface PoseTrackerSessions {
  /** `blazepose-detector`. */
  detector: ort.InferenceSession;
  /** `blazepose-lite`, `-full` or `-heavy`. */
  landmarks: ort.InferenceSession;
}

export interface PoseTrackerOptions extends Omit<PoseRequestOptions, 'maxPoses'> {
  /** 0 (default): detect only when tracking is lost. N > 0: also every N frames while tracking. */
  redetectInterval?: number;
  /** A detection overlapping the tracked ROI by more than this IoU is the same person (default 0.5). */
  associationIou?: number;
  /**
   * One-euro smoothing of landmarks and world landmarks, low-pass of visibility and, with segmentation,
   * uncertainty-weighted blending of the mask with the previous one (default true).
   */
  smoothing?: boolean;
  limits?: FrameLimits;
}

/** A pose in video mode: stable id while it stays tracked. */
export interface TrackedPose extends PoseResult {
  id: number;
}

export interface PoseTrackingResult {
  /** BlazePose tracks one person: empty or one pose. */
  poses: TrackedPose[];
  detectorRan: boolean;
  frameIndex: number;
  /** The frame's timestamp (the caller's, or one synthesized at 30 fps when none was given). */
  timestampUs: number;
}

interface Track {
  id: number;
  roi: NormalizedRect;
  detectionScore: number;
  smoother: PoseSmoother;
  masks?: MaskSmoother;
}

export class PoseTracker extends SerialTracker<PoseTrackingResult> {
  private readonly detector: PoseDetector;
  private readonly landmarkModel: PoseLandmarkModel;
  private readonly opts: Required<PoseRequestOptions>;
  private readonly redetectInterval: number;
  private readonly associationIou: number;
  private readonly smoothing: boolean;
  private track: Track | undefined;

  /** Sessions stay owned by the caller. Throws VISION_INVALID_ARGUMENT naming a bad option. */
  constructor(sessions: PoseTrackerSessions, options: PoseTrackerOptions = {}) {
    const { redetectInterval, associationIou, smoothing, limits, ...request } = options;
    super('pose tracker', limits ?? DEFAULT_FRAME_LIMITS);
    this.opts = resolvePoseOptions({ ...request, maxPoses: 1 });
    ({ redetectInterval: this.redetectInterval, associationIou: this.associationIou, smoothing: this.smoothing } =
      resolveTrackingOptions({ redetectInterval, associationIou, smoothing }));
    this.detector = new PoseDetector(sessions.detector, this.pool);
    this.landmarkModel = new PoseLandmarkModel(sessions.landmarks, this.pool);
  }

  protected forget(): void {
    this.track = undefined;
  }

  protected async step(image: RgbImage, timestampUs: number | undefined): Promise<PoseTrackingResult> {
    const time = this.clock.next(timestampUs);
    const started = performance.now();
    const frameIndex = this.frameIndex++;
    this.stats.frames++;
    const detectorRan = this.track === undefined || (this.redetectInterval > 0 && frameIndex - this.lastDetectFrame >= this.redetectInterval);
    if (detectorRan) {
      this.stats.detectorRuns++;
      this.lastDetectFrame = frameIndex;
      const [det] = await this.detector.detect(image, this.opts.minDetectionConfidence, 1);
      if (det !== undefined) {
        const roi = poseDetectionToRect(det, image);
        // The tracked ROI wins over a detection of the same person; a different person starts a new track.
        if (this.track === undefined || rectIou(this.track.roi, roi, image) <= this.associationIou) {
          this.track = { id: this.nextId++, roi, detectionScore: det.score, smoother: new PoseSmoother(this.smoothing) };
        }
      }
    }
    const poses = this.track === undefined ? [] : await this.landmarks(image, this.track, time.smoothingUs);
    this.timings = { ...emptyTimings(), modelMs: performance.now() - started };
    return { poses, detectorRan, frameIndex, timestampUs: time.timestampUs };
  }

  private async landmarks(image: RgbImage, track: Track, timeUs: number): Promise<TrackedPose[]> {
    const raw = await this.landmarkModel.run(image, track.roi, this.opts.segmentation);
    if (raw.presence < this.opts.minPresenceConfidence) {
      this.track = undefined;
      return [];
    }
    const sample = { landmarks: raw.landmarks.slice(0, POSE_LANDMARKS), worldLandmarks: raw.worldLandmarks, aux: roiLandmarks(raw.landmarks) };
    const smoothed = track.smoother.apply(sample, timeUs, image);
    const pose: TrackedPose = {
      id: track.id,
      landmarks: smoothed.landmarks,
      worldLandmarks: smoothed.worldLandmarks,
      presence: raw.presence,
      detectionScore: track.detectionScore,
      roi: track.roi,
    };
    if (this.opts.jointAngles) pose.jointAngles = computeJointAngles(pose.worldLandmarks);
    if (raw.cropMask !== undefined) {
      const size = POSE_LANDMARK_INPUT_SIZE;
      const data = unprojectMask({ data: raw.cropMask, width: size, height: size }, raw.roi, image.width, image.height);
      pose.mask = { data, width: image.width, height: image.height };
      if (this.smoothing) pose.mask = (track.masks ??= new MaskSmoother()).apply(pose.mask);
    }
    track.roi = poseRoiFromLandmarks(smoothed.aux, image);
    return [pose];
  }
}
