// Pose pipeline: person detector → ROI aligned on hip centre → 33 landmarks (visibility, presence),
// 33 world landmarks, joint angles and an optional person mask (MediaPipe PoseLandmarker, image mode).

import type * as ort from 'onnxruntime-node';
import type { Logger } from 'pino';
import { checkBoolean, checkIntRange, checkUnit } from '../options.js';
import { invalidArgument } from '../errors.js';
import { SerialPipeline } from '../image/serial-pipeline.js';
import { unprojectMask } from '../shared/mask-resize.js';
import type { Landmark, NormalizedRect, RgbImage } from '../types.js';
import { computeJointAngles, type JointAngles } from './joint-angles.js';
import { PoseDetector, poseDetectionToRect } from './pose-detector.js';
import { POSE_LANDMARK_INPUT_SIZE, POSE_LANDMARKS, PoseLandmarkModel } from './pose-landmarks.js';

export interface PoseRequestOptions {
  /** Most poses to return (1..5). Default 1. */
  maxPoses?: number;
  /** Minimum person detection score. Default 0.5. */
  minDetectionConfidence?: number;
  /** Minimum pose presence score from the landmark model. Default 0.5. */
  minPresenceConfidence?: number;
  /** Return a person mask at the frame size. Default false. */
  segmentation?: boolean;
  /** Compute joint angles from the world landmarks. Default true. */
  jointAngles?: boolean;
}

export interface PersonMask {
  /** 8-bit person probability (255 = person) at the frame size, row-major. */
  data: Uint8Array;
  width: number;
  height: number;
}

export interface PoseResult {
  /** 33 landmarks normalized to the image, with visibility and presence. */
  landmarks: Landmark[];
  /** 33 landmarks in metres, origin at the hip centre. */
  worldLandmarks: Landmark[];
  presence: number;
  detectionScore: number;
  roi: NormalizedRect;
  jointAngles?: JointAngles;
  mask?: PersonMask;
}

export interface PosePipelineModels {
  /** `blazepose-detector` (224×224). */
  detector: ort.InferenceSession;
  /** `blazepose-lite`, `-full` or `-heavy` (256×256). */
  landmarks: ort.InferenceSession;
}

export interface PosePipelineOptions {
  logger?: Logger;
  /** Release the sessions on dispose (default true). */
  ownsSessions?: boolean;
}

export function resolvePoseOptions(o: PoseRequestOptions = {}): Required<PoseRequestOptions> {
  if (o === null || typeof o !== 'object') throw invalidArgument('options', 'must be an object');
  return {
    maxPoses: o.maxPoses === undefined ? 1 : checkIntRange(o.maxPoses, 'maxPoses', 1, 5),
    minDetectionConfidence: o.minDetectionConfidence === undefined ? 0.5 : checkUnit(o.minDetectionConfidence, 'minDetectionConfidence'),
    minPresenceConfidence: o.minPresenceConfidence === undefined ? 0.5 : checkUnit(o.minPresenceConfidence, 'minPresenceConfidence'),
    segmentation: o.segmentation === undefined ? false : checkBoolean(o.segmentation, 'segmentation'),
    jointAngles: o.jointAngles === undefined ? true : checkBoolean(o.jointAngles, 'jointAngles'),
  };
}

export class PosePipeline extends SerialPipeline<PoseRequestOptions, Required<PoseRequestOptions>, PoseResult> {
  private readonly detector: PoseDetector;
  private readonly landmarkModel: PoseLandmarkModel;

  constructor(models: PosePipelineModels, private readonly options: PosePipelineOptions = {}) {
    super('pose pipeline', () => (options.ownsSessions === false ? [] : [models.detector, models.landmarks]));
    this.detector = new PoseDetector(models.detector, this.pool);
    this.landmarkModel = new PoseLandmarkModel(models.landmarks, this.pool);
  }

  protected resolve(request: PoseRequestOptions | undefined): Required<PoseRequestOptions> {
    return resolvePoseOptions(request);
  }

  /** Same as detect() on decoded RGB (for composite pipelines). Callers serialise. */
  async runRgb(image: RgbImage, opts: Required<PoseRequestOptions>): Promise<PoseResult[]> {
    const started = performance.now();
    const detections = await this.detector.detect(image, opts.minDetectionConfidence, opts.maxPoses);
    const poses: PoseResult[] = [];
    for (const det of detections) {
      const rect = poseDetectionToRect(det, image);
      const raw = await this.landmarkModel.run(image, rect, opts.segmentation);
      if (raw.presence < opts.minPresenceConfidence) continue;
      const pose: PoseResult = {
        landmarks: raw.landmarks.slice(0, POSE_LANDMARKS),
        worldLandmarks: raw.worldLandmarks,
        presence: raw.presence,
        detectionScore: det.score,
        roi: rect,
      };
      if (opts.jointAngles) pose.jointAngles = computeJointAngles(raw.worldLandmarks);
      if (raw.cropMask !== undefined) {
        const size = POSE_LANDMARK_INPUT_SIZE;
        const data = unprojectMask({ data: raw.cropMask, width: size, height: size }, raw.roi, image.width, image.height);
        pose.mask = { data, width: image.width, height: image.height };
      }
      poses.push(pose);
    }
    this.options.logger?.debug({ detections: detections.length, poses: poses.length, ms: Math.round(performance.now() - started) }, 'poses detected');
    return poses;
  }
}
