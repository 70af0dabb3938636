// Public types of the holistic pipeline: sessions, options, the per-frame result and its timings.

import type * as ort from 'onnxruntime-node';
import type { FrameLimits } from '../../vision/image/convert.js';
import type { HandResult } from '../../vision/hands/hand-result.js';
import type { TrackedPose } from '../../vision/pose/pose-tracker.js';
import type { FaceMeshResult } from '../../vision/types.js';

export interface HolisticSessions {
  /** `blazepose-detector`. */
  poseDetector: ort.InferenceSession;
  /** `blazepose-lite`, `-full` or `-heavy`. */
  poseLandmarks: ort.InferenceSession;
  /** `facemesh` (468 points) or `facemesh-attention` (478 with refined eyes, lips and irises). */
  faceMesh: ort.InferenceSession;
  /** `handlandmark-full` or `-lite`; no palm detector is needed. */
  handLandmarks: ort.InferenceSession;
}

export interface HolisticOptions {
  /** VIDEO mode: track the pose and the parts' ROIs between calls (default false: every call is independent). */
  tracking?: boolean;
  /** 478 face landmarks; needs the attention mesh model. Default: when the mesh model has them. */
  refineFace?: boolean;
  /** One-euro smoothing of the pose on the frame timestamps. Default: on in tracking mode. */
  smoothing?: boolean;
  /** Minimum person detection score (default 0.5). */
  minDetectionConfidence?: number;
  /** Minimum pose presence; below it the person is lost (default 0.5). */
  minPresenceConfidence?: number;
  /** Minimum face presence from the mesh model (default 0.5). */
  minFacePresence?: number;
  /** Minimum hand presence from the hand landmark model (default 0.5). */
  minHandPresence?: number;
  /** Hands whose pose wrist visibility is below this are not looked for (default 0.1). */
  minWristVisibility?: number;
  /** Person mask at the frame size (default false). */
  segmentation?: boolean;
  /** Joint angles from the pose world landmarks (default true). */
  jointAngles?: boolean;
  /** Canned gestures per hand (default true). */
  gestures?: boolean;
  /** Tracking mode: also run the pose detector every N frames (default 0: only when the pose is lost). */
  redetectInterval?: number;
  limits?: FrameLimits;
}

/** One person. "left"/"right" are the subject's sides (as the pose names them). */
export interface HolisticResult {
  pose?: TrackedPose;
  face?: FaceMeshResult;
  leftHand?: HandResult;
  rightHand?: HandResult;
  /** Landmarks in the result: 33 + 468 (or 478) + 21 + 21 when everything is found. */
  landmarkCount: number;
  frameIndex: number;
  /** The frame's timestamp (the caller's, or a synthesized one when none was given). */
  timestampUs: number;
  /** Whether the pose detector ran on this frame. */
  detectorRan: boolean;
}

/** Milliseconds of the last frame: decoding, pose, the concurrent face + hands stage, and all together. */
export interface HolisticTimings {
  decodeMs: number;
  poseMs: number;
  partsMs: number;
  totalMs: number;
}

export function emptyHolisticTimings(): HolisticTimings {
  return { decodeMs: 0, poseMs: 0, partsMs: 0, totalMs: 0 };
}

export function countLandmarks(r: Pick<HolisticResult, 'pose' | 'face' | 'leftHand' | 'rightHand'>): number {
  return (r.pose?.landmarks.length ?? 0) + (r.face?.landmarks.length ?? 0) + (r.leftHand?.landmarks.length ?? 0) + (r.rightHand?.landmarks.length ?? 0);
}
