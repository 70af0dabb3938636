// The vision benchmark cases: which models each task uses, its 640×480 test frame, its in-process
// pipeline (and VIDEO-mode tracker), its unary request and Track task, and the model-only timing
// of the onnxruntime sessions it runs. Holistic runs face and hands on worker threads, as the child does.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { PoseModel, TrackTask, type TrackOptions } from '@tabagent/protos/v1/vision';
import { sessionOptions } from '../../ml-service/dist/runtime/onnx-loader.js';
import { resolveThreads } from '../../ml-service/dist/runtime/loaded-models.js';
import { DEFAULT_ENTRIES } from '../../supervisor/dist/store/catalog-defaults.js';
import { FaceMesh } from '../../ml-service/dist/pipelines/face-mesh/face-mesh.js';
import { FaceDetector } from '../../ml-service/dist/vision/face/face-detector.js';
import { HandPipeline } from '../../ml-service/dist/vision/hands/hand-pipeline.js';
import { HandTracker } from '../../ml-service/dist/vision/hands/hand-tracker.js';
import { PosePipeline } from '../../ml-service/dist/vision/pose/pose-pipeline.js';
import { PoseTracker } from '../../ml-service/dist/vision/pose/pose-tracker.js';
import { SegmentationPipeline } from '../../ml-service/dist/vision/segmentation/segmentation-pipeline.js';
import { ObjectDetector } from '../../ml-service/dist/vision/objects/object-detector.js';
import { FaceTracker } from '../../ml-service/dist/pipelines/face-mesh/face-tracker.js';
import { HolisticPipeline } from '../../ml-service/dist/pipelines/holistic/holistic-pipeline.js';
import { ThreadedSession } from '../../ml-service/dist/runtime/threaded-session.js';
import { holisticWorkerOptions } from '../../ml-service/dist/services/vision/holistic.js';
import type { RawFrame } from '../../ml-service/dist/vision/types.js';
import { sharedDir, sharedModelCache } from './bench-support/paths.js';

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 480;

/** One frame-processing loop body (a pipeline or a tracker) with its cleanup. */
export interface Loop {
  step(frame: RawFrame, timestampUs: number): Promise<unknown>;
  dispose(): void | Promise<void>;
}

/** A benchmark case. */
export interface VisionCase {
  name: string;
  /** Catalog ids, by role as the supervisor sends them. */
  roles: Record<string, string>;
  image: string;
  method: 'detectFaces' | 'faceMesh' | 'hands' | 'pose' | 'holistic' | 'segment' | 'detectObjects';
  options: Record<string, unknown>;
  /** The request's `model` (a model chosen by id rather than by the task's default). */
  model?: string;
  track: { task: TrackTask; options: Partial<TrackOptions> };
  /** Single-image pipeline (what a unary call runs). */
  pipeline(s: Sessions): Loop;
  /** What a Track stream runs per frame (a tracker, or the pipeline again). */
  tracker(s: Sessions): Loop;
}

/** Sessions by role. */
export type Sessions = Record<string, ort.InferenceSession>;

const loop = (step: Loop['step'], dispose: Loop['dispose']): Loop => ({ step, dispose });

function poseCase(name: string, landmarks: string, complexity: PoseModel): VisionCase {
  const pipeline = (s: Sessions): Loop => {
    const p = new PosePipeline({ detector: s['detector']!, landmarks: s['landmarks']! }, { ownsSessions: false });
    return loop((f) => p.detect(f), () => p.dispose());
  };
  const tracker = (s: Sessions): Loop => {
    const t = new PoseTracker({ detector: s['detector']!, landmarks: s['landmarks']! });
    return loop((f, ts) => t.process(f, ts), () => t.dispose());
  };
  return {
    name, roles: { detector: 'mediapipe/pose-detection', landmarks }, image: 'pose.jpg', method: 'pose', options: { complexity },
    track: { task: TrackTask.TRACK_TASK_POSE, options: { pose: { complexity, segmentation: false } } }, pipeline, tracker,
  };
}

const HOLISTIC_ROLES = {
  detector: 'mediapipe/pose-detection', landmarks: 'mediapipe/pose-landmark-full', face: 'mediapipe/face-mesh', hand: 'mediapipe/hand-landmark-full',
} as const;

/**
 * Holistic as the child runs it: face mesh and hand landmarks on worker threads made from the same ONNX
 * bytes. The first step runs on the given sessions (so the bench's run counting sees it) while the
 * workers start; later steps run on the workers.
 */
function holisticLoop(s: Sessions, tracking: boolean): Loop {
  const base = { poseDetector: s['detector']!, poseLandmarks: s['landmarks']! };
  const plain = new HolisticPipeline({ ...base, faceMesh: s['face']!, handLandmarks: s['hand']! }, { tracking });
  const face = new ThreadedSession(s['face']!, readFileSync(cachedModel(HOLISTIC_ROLES.face).onnx), holisticWorkerOptions('face', 'cpu', 1));
  const hand = new ThreadedSession(s['hand']!, readFileSync(cachedModel(HOLISTIC_ROLES.hand).onnx), holisticWorkerOptions('hand', 'cpu', 1));
  let threaded: HolisticPipeline | undefined;
  return loop(async (f, ts) => {
    if (threaded) return threaded.process(f, ts);
    const r = await plain.process(f, ts);
    const started = await Promise.all([face.start(), hand.start()]);
    if (!started.every(Boolean)) throw new Error(`holistic workers did not start: ${face.fallbackReason ?? hand.fallbackReason}`);
    threaded = new HolisticPipeline({ ...base, faceMesh: face.asInferenceSession(), handLandmarks: hand.asInferenceSession() }, { tracking });
    return r;
  }, async () => {
    plain.dispose();
    threaded?.dispose();
    await Promise.all([face.dispose(), hand.dispose()]);
  });
}

export const CASES: readonly VisionCase[] = [
  {
    name: 'face detection', roles: { detector: 'mediapipe/face-detection-short' }, image: 'portrait.jpg', method: 'detectFaces', options: {},
    track: { task: TrackTask.TRACK_TASK_FACES, options: {} },
    pipeline: (s) => {
      const d = new FaceDetector(s['detector']!);
      return loop((f) => d.detect(f), () => d.dispose());
    },
    tracker: (s) => {
      const d = new FaceDetector(s['detector']!);
      return loop((f) => d.detect(f), () => d.dispose());
    },
  },
  {
    name: 'face mesh', roles: { detector: 'mediapipe/face-detection-short', landmarks: 'mediapipe/face-mesh' }, image: 'portrait.jpg', method: 'faceMesh', options: {},
    track: { task: TrackTask.TRACK_TASK_FACE_MESH, options: { noSmoothing: true } },
    pipeline: (s) => {
      const m = new FaceMesh({ detector: s['detector']!, mesh: s['landmarks']! });
      return loop((f) => m.process(f), () => m.dispose());
    },
    tracker: (s) => {
      const t = new FaceTracker({ detector: s['detector']!, mesh: s['landmarks']! });
      return loop((f) => t.process(f), () => t.dispose());
    },
  },
  {
    name: 'hands (2 hands)', roles: { detector: 'mediapipe/palm-detection', landmarks: 'mediapipe/hand-landmark-full' }, image: 'left_hands.jpg', method: 'hands', options: {},
    track: { task: TrackTask.TRACK_TASK_HANDS, options: {} },
    pipeline: (s) => {
      const p = new HandPipeline({ palm: s['detector']!, landmarks: s['landmarks']! }, { ownsSessions: false });
      return loop((f) => p.detect(f), () => p.dispose());
    },
    tracker: (s) => {
      const t = new HandTracker({ palm: s['detector']!, landmarks: s['landmarks']! });
      return loop((f, ts) => t.process(f, ts), () => t.dispose());
    },
  },
  poseCase('pose lite', 'mediapipe/pose-landmark-lite', PoseModel.POSE_MODEL_LITE),
  poseCase('pose full', 'mediapipe/pose-landmark-full', PoseModel.POSE_MODEL_FULL),
  {
    name: 'holistic', roles: HOLISTIC_ROLES, image: 'squats_standing_frame000.png', method: 'holistic', options: { complexity: PoseModel.POSE_MODEL_FULL },
    track: { task: TrackTask.TRACK_TASK_HOLISTIC, options: { pose: { complexity: PoseModel.POSE_MODEL_FULL, segmentation: false } } },
    pipeline: (s) => holisticLoop(s, false),
    tracker: (s) => holisticLoop(s, true),
  },
  {
    name: 'segmentation', roles: { segmenter: 'mediapipe/selfie-segmentation' }, image: 'portrait.jpg', method: 'segment', options: {},
    track: { task: TrackTask.TRACK_TASK_SEGMENT, options: {} },
    pipeline: (s) => {
      const p = new SegmentationPipeline(s['segmenter']!, { ownsSessions: false });
      return loop((f) => p.segment(f), () => p.dispose());
    },
    tracker: (s) => {
      const p = new SegmentationPipeline(s['segmenter']!, { ownsSessions: false });
      return loop((f) => p.segment(f), () => p.dispose());
    },
  },
  {
    name: 'segmentation (scene)', roles: { segmenter: 'rvm/mobilenetv3-256' }, model: 'rvm/mobilenetv3-256', image: 'three_people.jpg', method: 'segment', options: {},
    track: { task: TrackTask.TRACK_TASK_SEGMENT, options: {} },
    pipeline: (s) => {
      const p = new SegmentationPipeline(s['segmenter']!, { kind: 'matting', ownsSessions: false });
      return loop((f) => p.segment(f), () => p.dispose());
    },
    tracker: (s) => {
      const p = new SegmentationPipeline(s['segmenter']!, { kind: 'matting', ownsSessions: false });
      return loop((f) => p.segment(f), () => p.dispose());
    },
  },
  {
    name: 'objects', roles: { detector: 'centernet/mobilenetv3-coco' }, image: 'couple_and_dog.jpg', method: 'detectObjects', options: {},
    track: { task: TrackTask.TRACK_TASK_OBJECTS, options: {} },
    pipeline: (s) => {
      const d = new ObjectDetector(s['detector']!);
      return loop((f) => d.detect(f), () => d.dispose());
    },
    tracker: (s) => {
      const d = new ObjectDetector(s['detector']!);
      return loop((f) => d.detect(f), () => d.dispose());
    },
  },
];

/** A test image letterboxed into a 640×480 packed RGB frame. */
export async function benchFrame(image: string): Promise<RawFrame> {
  const data = await sharp(join(sharedDir(), 'testdata', 'images', image))
    .removeAlpha().resize(FRAME_WIDTH, FRAME_HEIGHT, { fit: 'contain', background: { r: 0, g: 0, b: 0 } }).raw().toBuffer();
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: FRAME_WIDTH, height: FRAME_HEIGHT, format: 'RGB' };
}

/** The cached manifest of a pulled model: its converted ONNX file and input size. */
function cachedModel(id: string): { onnx: string; width: number; height: number } {
  const dir = join(sharedModelCache(), id.replace('/', '--'));
  const version = readdirSync(dir).find((d) => !d.startsWith('.'));
  if (!version) throw new Error(`${id} is not in the model cache`);
  const manifest = JSON.parse(readFileSync(join(dir, version, '.manifest.json'), 'utf8')) as {
    converted: { path: string }[]; params: { inputSize: { width: number; height: number } };
  };
  const onnx = manifest.converted.find((f) => f.path.endsWith('.onnx'));
  if (!onnx) throw new Error(`${id} has no converted ONNX file`);
  return { onnx: join(dir, version, onnx.path), ...manifest.params.inputSize };
}

/** In-process sessions with the child's options: CPU, and the thread count the child would use (`threads`, else the catalog's params.threads, else the runtime default). */
export async function loadSessions(roles: Record<string, string>, threads: number): Promise<{ sessions: Sessions; inputs: Record<string, ort.Tensor> }> {
  const sessions: Sessions = {};
  const inputs: Record<string, ort.Tensor> = {};
  for (const [role, id] of Object.entries(roles)) {
    const m = cachedModel(id);
    const params = DEFAULT_ENTRIES.find((e) => e.id === id)?.params ?? {};
    sessions[role] = await ort.InferenceSession.create(m.onnx, sessionOptions('cpu', resolveThreads(threads, 0, params)));
    inputs[role] = new ort.Tensor('float32', new Float32Array(m.width * m.height * 3).fill(0.5), [1, m.height, m.width, 3]);
  }
  return { sessions, inputs };
}

