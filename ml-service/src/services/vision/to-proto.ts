// Pipeline results → Vision proto messages (normalized coordinates throughout; angles in degrees;
// eyes and hands named from the subject's point of view as the proto documents).
import type {
  BoundingBox as ProtoBox, EyeResult as ProtoEye, FaceDetection as ProtoFaceDetection, FaceIris, FaceMeshResult as ProtoFaceMesh,
  Hand, Landmark as ProtoLandmark, PoseResult as ProtoPose, Rect, WorldLandmark,
} from '@tabagent/protos/v1/vision';
import { FACE_KEYPOINTS } from '../../vision/face/blazeface-config.js';
import type { HandResult } from '../../vision/hands/hand-pipeline.js';
import type { PoseResult } from '../../vision/pose/pose-pipeline.js';
import type {
  BoundingBox, Detection, EyeResult, FaceMeshResult, GazeAngles, IrisResult, Landmark, NormalizedRect,
} from '../../vision/types.js';

const DEG = 180 / Math.PI;

/** Proto keypoint names of BlazeFace's six keypoints, in model order. */
export const FACE_KEYPOINT_NAMES: readonly string[] = FACE_KEYPOINTS.map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

export function boxToProto(b: BoundingBox): ProtoBox {
  return { xMin: b.xmin, yMin: b.ymin, width: b.width, height: b.height };
}

export function rectToProto(r: NormalizedRect): Rect {
  return { xCenter: r.xCenter, yCenter: r.yCenter, width: r.width, height: r.height, rotation: r.rotation };
}

export function landmarkToProto(p: Landmark): ProtoLandmark {
  const out: ProtoLandmark = { x: p.x, y: p.y, z: p.z };
  if (p.visibility !== undefined) out.visibility = p.visibility;
  if (p.presence !== undefined) out.presence = p.presence;
  return out;
}

export function worldToProto(p: Landmark): WorldLandmark {
  const out: WorldLandmark = { x: p.x, y: p.y, z: p.z };
  if (p.visibility !== undefined) out.visibility = p.visibility;
  return out;
}

export function detectionToProto(d: Detection, id = 0): ProtoFaceDetection {
  return {
    box: boxToProto(d.box),
    score: d.score,
    keypoints: d.keypoints.map((k, i) => ({ name: FACE_KEYPOINT_NAMES[i] ?? `keypoint_${i}`, x: k.x, y: k.y })),
    id,
  };
}

/**
 * A face mesh result; `detection` is the detector output it came from, or undefined when the ROI
 * came from tracking (then the landmark bounds and presence stand in for it).
 */
export function meshToProto(m: FaceMeshResult, detection: Detection | undefined, id = 0): ProtoFaceMesh {
  const det = detection ? detectionToProto(detection, id) : { box: boxToProto(m.box), score: m.presence, keypoints: [], id };
  return { landmarks: m.landmarks.map(landmarkToProto), presence: m.presence, detection: det, roi: rectToProto(m.roi) };
}

function gazeToProto(g: GazeAngles): { yawDegrees: number; pitchDegrees: number } {
  return { yawDegrees: g.yaw * DEG, pitchDegrees: g.pitch * DEG };
}

function eyeToProto(e: EyeResult): ProtoEye {
  return { iris: e.iris.map(landmarkToProto), contour: e.contour.map(landmarkToProto), irisDiameter: e.irisDiameter, gaze: gazeToProto(e.gaze) };
}

/** The pipeline's "left" eye is the image-left one, i.e. the subject's right eye. */
export function irisToProto(iris: IrisResult, face: ProtoFaceMesh): FaceIris {
  return { leftEye: eyeToProto(iris.right), rightEye: eyeToProto(iris.left), gaze: gazeToProto(iris.gaze), face };
}

export function handToProto(h: HandResult): Hand {
  return {
    landmarks: h.landmarks.map(landmarkToProto),
    worldLandmarks: h.worldLandmarks.map(worldToProto),
    handedness: { name: h.handedness.label, score: h.handedness.score },
    presence: h.presence,
    gesture: h.gesture ? { name: h.gesture.name, score: h.gesture.score } : undefined,
    roi: rectToProto(h.roi),
  };
}

/** camelCase joint names → the proto's snake_case keys; undefined angles are left out. */
export function jointAnglesToProto(angles: PoseResult['jointAngles']): Record<string, number> {
  const out: Record<string, number> = {};
  if (!angles) return out;
  for (const [name, a] of Object.entries(angles)) {
    if (Number.isFinite(a.degrees)) out[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = a.degrees;
  }
  return out;
}

export function poseToProto(p: PoseResult): ProtoPose {
  return {
    landmarks: p.landmarks.map(landmarkToProto),
    worldLandmarks: p.worldLandmarks.map(worldToProto),
    jointAngles: jointAnglesToProto(p.jointAngles),
    segmentation: p.mask ? { data: asBuffer(p.mask.data), width: p.mask.width, height: p.mask.height } : undefined,
    score: p.detectionScore,
    roi: rectToProto(p.roi),
  };
}

/** A byte view as a Buffer without copying. */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
