// The one table of vision tasks: for each task, its unary method and Track kind, the model roles it
// needs (with the catalog task a model filling the role must have, and the name used in errors),
// which role a request's `model` field overrides, and the default catalog ids chosen from the
// request's options. The supervisor routes requests with it, the default catalog and the child's
// method and Track runners read it; adding a task is one entry here.
import {
  FaceMeshOptions, HandsOptions, HolisticOptions, PoseModel, PoseOptions, SegmentOptions, TrackTask, type TrackOptions,
} from '@tabagent/protos/v1/vision';

/** Default catalog ids of the embedded models. */
export const MODEL_IDS = Object.freeze({
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
  /** Whole-scene person segmentation (several people); chosen by model id on Segment. */
  sceneMatting: 'rvm/mobilenetv3-256',
  objectDetector: 'centernet/mobilenetv3-coco',
  embeddings: 'google/universal-sentence-encoder-lite',
  speech: 'openai/whisper-tiny',
});

/** The catalog task of a vision model. */
export type VisionModelKind =
  | 'face-detection' | 'face-mesh' | 'iris' | 'palm-detection' | 'hand-landmarks' | 'pose-detection' | 'pose-landmarks' | 'segmentation'
  | 'object-detection';

/** A model role inside a task. */
export type VisionRole = 'detector' | 'landmarks' | 'iris' | 'face' | 'hand' | 'segmenter';

export interface RoleSpec {
  /** What the role is called in errors ("face detector"). */
  label: string;
  kind: VisionModelKind;
}

/** The options default models depend on, whether they came in a unary request or a Track stream. */
export interface TaskModelOptions {
  refineLandmarks?: boolean;
  handsLite?: boolean;
  poseComplexity?: PoseModel;
  landscape?: boolean;
}

export interface VisionTaskSpec {
  /** The unary method of the Vision service. */
  method: 'DetectFaces' | 'FaceMesh' | 'Iris' | 'Hands' | 'Pose' | 'Holistic' | 'Segment' | 'DetectObjects';
  track: TrackTask;
  /** The unary request's field numbers: `model` (0 = the request has none) and `options`. */
  wire: { model: number; options: number };
  roles: Readonly<Partial<Record<VisionRole, RoleSpec>>>;
  /** The role a request's `model` field fills. */
  modelRole?: VisionRole;
  /** The unary request's options message, decoded into what default models depend on. */
  decodeOptions(bytes: Uint8Array): TaskModelOptions;
  /** A Track stream's options, mapped the same way. */
  trackOptions(o: TrackOptions | undefined): TaskModelOptions;
  /** The default catalog id of every role. */
  defaults(o: TaskModelOptions): Readonly<Partial<Record<VisionRole, string>>>;
}

const FACE_DETECTOR: RoleSpec = { label: 'face detector', kind: 'face-detection' };
const FACE_MESH: RoleSpec = { label: 'face mesh', kind: 'face-mesh' };
const POSE_DETECTOR: RoleSpec = { label: 'pose detection', kind: 'pose-detection' };
const POSE_LANDMARKS: RoleSpec = { label: 'pose landmark', kind: 'pose-landmarks' };
const HAND_LANDMARKS: RoleSpec = { label: 'hand landmark', kind: 'hand-landmarks' };
const none = (): TaskModelOptions => ({});

function poseModel(c: PoseModel | undefined): string {
  if (c === PoseModel.POSE_MODEL_LITE) return MODEL_IDS.poseLite;
  if (c === PoseModel.POSE_MODEL_HEAVY) return MODEL_IDS.poseHeavy;
  return MODEL_IDS.poseFull;
}
const faceMesh = (refine: boolean | undefined): string => (refine ? MODEL_IDS.faceMeshAttention : MODEL_IDS.faceMesh);

/** Every vision task, by the name the CLI and the docs use. */
export const VISION_TASKS = Object.freeze({
  faces: {
    method: 'DetectFaces', track: TrackTask.TRACK_TASK_FACES, wire: { model: 2, options: 3 },
    roles: { detector: FACE_DETECTOR }, modelRole: 'detector',
    decodeOptions: none, trackOptions: none,
    defaults: () => ({ detector: MODEL_IDS.faceDetector }),
  },
  mesh: {
    method: 'FaceMesh', track: TrackTask.TRACK_TASK_FACE_MESH, wire: { model: 2, options: 3 },
    roles: { detector: FACE_DETECTOR, landmarks: FACE_MESH }, modelRole: 'landmarks',
    decodeOptions: (b) => ({ refineLandmarks: FaceMeshOptions.decode(b).refineLandmarks }),
    trackOptions: (o) => ({ refineLandmarks: o?.faceMesh?.refineLandmarks }),
    defaults: (o) => ({ detector: MODEL_IDS.faceDetector, landmarks: faceMesh(o.refineLandmarks) }),
  },
  iris: {
    method: 'Iris', track: TrackTask.TRACK_TASK_IRIS, wire: { model: 2, options: 3 },
    roles: { detector: FACE_DETECTOR, landmarks: FACE_MESH, iris: { label: 'iris', kind: 'iris' } }, modelRole: 'iris',
    decodeOptions: none, trackOptions: none,
    defaults: () => ({ detector: MODEL_IDS.faceDetector, landmarks: MODEL_IDS.faceMesh, iris: MODEL_IDS.iris }),
  },
  hands: {
    method: 'Hands', track: TrackTask.TRACK_TASK_HANDS, wire: { model: 2, options: 3 },
    roles: { detector: { label: 'palm detection', kind: 'palm-detection' }, landmarks: HAND_LANDMARKS }, modelRole: 'landmarks',
    decodeOptions: (b) => ({ handsLite: HandsOptions.decode(b).lite }),
    trackOptions: (o) => ({ handsLite: o?.hands?.lite }),
    defaults: (o) => ({ detector: MODEL_IDS.palm, landmarks: o.handsLite ? MODEL_IDS.handLite : MODEL_IDS.handFull }),
  },
  pose: {
    method: 'Pose', track: TrackTask.TRACK_TASK_POSE, wire: { model: 2, options: 3 },
    roles: { detector: POSE_DETECTOR, landmarks: POSE_LANDMARKS }, modelRole: 'landmarks',
    decodeOptions: (b) => ({ poseComplexity: PoseOptions.decode(b).complexity }),
    trackOptions: (o) => ({ poseComplexity: o?.pose?.complexity }),
    defaults: (o) => ({ detector: MODEL_IDS.poseDetector, landmarks: poseModel(o.poseComplexity) }),
  },
  holistic: {
    method: 'Holistic', track: TrackTask.TRACK_TASK_HOLISTIC, wire: { model: 0, options: 2 },
    roles: { detector: POSE_DETECTOR, landmarks: POSE_LANDMARKS, face: FACE_MESH, hand: HAND_LANDMARKS },
    decodeOptions: (b) => {
      const o = HolisticOptions.decode(b);
      return { poseComplexity: o.complexity, refineLandmarks: o.refineFaceLandmarks };
    },
    trackOptions: (o) => ({ poseComplexity: o?.pose?.complexity }),
    defaults: (o) => ({
      detector: MODEL_IDS.poseDetector, landmarks: poseModel(o.poseComplexity), face: faceMesh(o.refineLandmarks), hand: MODEL_IDS.handFull,
    }),
  },
  segment: {
    method: 'Segment', track: TrackTask.TRACK_TASK_SEGMENT, wire: { model: 2, options: 3 },
    roles: { segmenter: { label: 'segmentation', kind: 'segmentation' } }, modelRole: 'segmenter',
    decodeOptions: (b) => ({ landscape: SegmentOptions.decode(b).landscape }),
    trackOptions: (o) => ({ landscape: o?.segment?.landscape }),
    defaults: (o) => ({ segmenter: o.landscape ? MODEL_IDS.selfieLandscape : MODEL_IDS.selfie }),
  },
  objects: {
    method: 'DetectObjects', track: TrackTask.TRACK_TASK_OBJECTS, wire: { model: 2, options: 3 },
    roles: { detector: { label: 'object detector', kind: 'object-detection' } }, modelRole: 'detector',
    decodeOptions: none, trackOptions: none,
    defaults: () => ({ detector: MODEL_IDS.objectDetector }),
  },
} satisfies Record<string, VisionTaskSpec>);

export type VisionTaskName = keyof typeof VISION_TASKS;

/** The task of a unary Vision method, or undefined. */
export function taskOfMethod(method: string): VisionTaskSpec | undefined {
  return Object.values(VISION_TASKS).find((t): t is (typeof VISION_TASKS)[VisionTaskName] => t.method === method);
}

/** The task of a Track kind, or undefined. */
export function taskOfTrack(track: TrackTask): VisionTaskSpec | undefined {
  return Object.values(VISION_TASKS).find((t) => t.track === track);
}

/** The error labels of a task's roles, as the child's model lookups take them. */
export function roleLabels<T extends VisionTaskSpec>(task: T): Record<keyof T['roles'] & VisionRole, string> {
  const out: Partial<Record<VisionRole, string>> = {};
  for (const [role, spec] of Object.entries(task.roles) as [VisionRole, RoleSpec][]) out[role] = spec.label;
  return out as Record<keyof T['roles'] & VisionRole, string>;
}
