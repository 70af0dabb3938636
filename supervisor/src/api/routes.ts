// Which catalog models each public inference method needs, by role. The supervisor loads them
// (on first use) and tells the child which ids to use in the "x-tabagent-models" metadata entry.
import {
  FaceMeshOptions, HandsOptions, HolisticOptions, PoseModel, PoseOptions, SegmentOptions, TrackTask, type TrackRequest,
} from '@tabagent/protos/v1/vision';
import type { ModelRoles } from '@tabagent/common';
import { scanFields, scanString } from './wire-scan.js';


/** Default ids of the embedded models. */
export const DEFAULT_MODELS = Object.freeze({
  faceDetector: 'mediapipe/face-detection-short',
  faceMesh: 'mediapipe/face-mesh',
  faceMeshAttention: 'mediapipe/face-mesh-attention',
  iris: 'mediapipe/iris',
  palm: 'mediapipe/palm-detection',
  handFull: 'mediapipe/hand-landmark-full',
  handLite: 'mediapipe/hand-landmark-lite',
  poseDetector: 'mediapipe/pose-detection',
  poseLite: 'mediapipe/pose-landmark-lite',
  poseFull: 'mediapipe/pose-landmark-full',
  poseHeavy: 'mediapipe/pose-landmark-heavy',
  selfie: 'mediapipe/selfie-segmentation',
  selfieLandscape: 'mediapipe/selfie-segmentation-landscape',
  embeddings: 'google/universal-sentence-encoder-lite',
  speech: 'openai/whisper-tiny',
});

function sub<T>(buf: Uint8Array, field: number, decode: (b: Uint8Array) => T): T | undefined {
  const raw = scanFields(buf, [field]).get(field);
  return raw ? decode(raw) : undefined;
}

function poseModel(c: PoseModel | undefined): string {
  if (c === PoseModel.POSE_MODEL_LITE) return DEFAULT_MODELS.poseLite;
  if (c === PoseModel.POSE_MODEL_HEAVY) return DEFAULT_MODELS.poseHeavy;
  return DEFAULT_MODELS.poseFull;
}

/** Models for one request of `method` (e.g. "DetectFaces"), from its serialized bytes. */
export function routeVision(method: string, req: Uint8Array): ModelRoles {
  const model = method === 'Holistic' ? '' : scanString(req, method === 'Track' ? 5 : 2);
  switch (method) {
    case 'DetectFaces':
      return { detector: model || DEFAULT_MODELS.faceDetector };
    case 'FaceMesh': {
      const o = sub(req, 3, (b) => FaceMeshOptions.decode(b));
      return { detector: DEFAULT_MODELS.faceDetector, landmarks: model || (o?.refineLandmarks ? DEFAULT_MODELS.faceMeshAttention : DEFAULT_MODELS.faceMesh) };
    }
    case 'Iris':
      return { detector: DEFAULT_MODELS.faceDetector, landmarks: DEFAULT_MODELS.faceMesh, iris: model || DEFAULT_MODELS.iris };
    case 'Hands': {
      const o = sub(req, 3, (b) => HandsOptions.decode(b));
      return { detector: DEFAULT_MODELS.palm, landmarks: model || (o?.lite ? DEFAULT_MODELS.handLite : DEFAULT_MODELS.handFull) };
    }
    case 'Pose': {
      const o = sub(req, 3, (b) => PoseOptions.decode(b));
      return { detector: DEFAULT_MODELS.poseDetector, landmarks: model || poseModel(o?.complexity) };
    }
    case 'Holistic': {
      const o = sub(req, 2, (b) => HolisticOptions.decode(b));
      return {
        detector: DEFAULT_MODELS.poseDetector, landmarks: poseModel(o?.complexity),
        face: o?.refineFaceLandmarks ? DEFAULT_MODELS.faceMeshAttention : DEFAULT_MODELS.faceMesh,
        hand: DEFAULT_MODELS.handFull,
      };
    }
    case 'Segment': {
      const o = sub(req, 3, (b) => SegmentOptions.decode(b));
      return { segmenter: model || (o?.landscape ? DEFAULT_MODELS.selfieLandscape : DEFAULT_MODELS.selfie) };
    }
    default:
      return {};
  }
}

/** Models for a Text request: field 1 is always the model id. */
export function routeText(method: string, req: Uint8Array): ModelRoles {
  const model = scanString(req, 1);
  if (model) return { model };
  if (method === 'Embed') return { model: DEFAULT_MODELS.embeddings };
  if (method === 'Transcribe') return { model: DEFAULT_MODELS.speech };
  return { model: '' };
}

/** Models for a Track stream, from its first (fully decoded) message. */
export function routeTrack(req: TrackRequest): ModelRoles {
  const o = req.options;
  const m = req.model;
  switch (req.task) {
    case TrackTask.TRACK_TASK_FACE_MESH:
      return { detector: DEFAULT_MODELS.faceDetector, landmarks: m || (o?.faceMesh?.refineLandmarks ? DEFAULT_MODELS.faceMeshAttention : DEFAULT_MODELS.faceMesh) };
    case TrackTask.TRACK_TASK_IRIS:
      return { detector: DEFAULT_MODELS.faceDetector, landmarks: DEFAULT_MODELS.faceMesh, iris: m || DEFAULT_MODELS.iris };
    case TrackTask.TRACK_TASK_HANDS:
      return { detector: DEFAULT_MODELS.palm, landmarks: m || (o?.hands?.lite ? DEFAULT_MODELS.handLite : DEFAULT_MODELS.handFull) };
    case TrackTask.TRACK_TASK_POSE:
      return { detector: DEFAULT_MODELS.poseDetector, landmarks: m || poseModel(o?.pose?.complexity) };
    case TrackTask.TRACK_TASK_HOLISTIC:
      return { detector: DEFAULT_MODELS.poseDetector, landmarks: poseModel(o?.pose?.complexity), face: DEFAULT_MODELS.faceMesh, hand: DEFAULT_MODELS.handFull };
    case TrackTask.TRACK_TASK_SEGMENT:
      return { segmenter: m || (o?.segment?.landscape ? DEFAULT_MODELS.selfieLandscape : DEFAULT_MODELS.selfie) };
    default:
      return { detector: m || DEFAULT_MODELS.faceDetector };
  }
}
