// Holistic: pose, face mesh and both hands of one person. The unary method runs the pipeline in
// image mode from a pool; Track builds a tracking instance of its own with the same helpers. The face
// mesh and hand landmark models run on worker threads (sessions made from the same model bytes and
// provider, owned by the model's handle), so the face and both hands infer in parallel.
import type { Metadata } from '@grpc/grpc-js';
import { VISION_TASKS, type Logger, type ModelRoles } from '@tabagent/common';
import type { HolisticRequest, HolisticResponse } from '@tabagent/protos/v1/vision';
import type * as ort from 'onnxruntime-node';
import type { LoadedModels } from '../../runtime/loaded-models.js';
import { sessionOptions } from '../../runtime/onnx-loader.js';
import { hasRefinementOutputs } from '../../vision/face-mesh/mesh-model.js';
import { invalidArgument } from '../../vision/errors.js';
import { HolisticPipeline } from '../../pipelines/holistic/holistic-pipeline.js';
import type { HolisticOptions, HolisticResult } from '../../pipelines/holistic/holistic-types.js';
import { ThreadedSession } from '../../runtime/threaded-session.js';
import type { WorkerSessionOptions } from '../../runtime/worker-session.js';
import { rolesOf, taskModels, withModels, type VisionModel } from './models.js';
import { poseComplexity } from './options.js';
import { cachedPool, PipelinePool } from './pipeline-pool.js';
import { runFrame } from './run-frame.js';
import { regionsOf } from './shared-frame.js';
import { timedSession, type RunClock } from './stage-clock.js';
import { handToProto, meshToProto, poseToProto } from './to-proto.js';

/** The four models of Holistic, by the roles the supervisor sends. */
export interface HolisticModels {
  detector: VisionModel;
  landmarks: VisionModel;
  face: VisionModel;
  hand: VisionModel;
}

export function holisticModels(loadedModels: LoadedModels, roles: ModelRoles): HolisticModels {
  return taskModels(loadedModels, roles, VISION_TASKS.holistic);
}

/** Attachment key of a model's worker-thread session for Holistic. */
export const HOLISTIC_WORKERS_KEY = 'holistic:workers';
/** Worker threads per model: the face on one, each hand on its own, so all three infer at once. */
const WORKERS = { face: 1, hand: 2 } as const;
export type HolisticPart = keyof typeof WORKERS;

/** Worker-thread options for a part's model loaded on `provider` with `threads` intra-op threads. */
export function holisticWorkerOptions(part: HolisticPart, provider: string, threads: number): WorkerSessionOptions {
  // One intra-op thread per worker on CPU: the parallelism is across the models instead.
  return { workers: WORKERS[part], sessionOptions: sessionOptions(provider, provider === 'cpu' ? 1 : threads) };
}

/**
 * The worker-thread session of a face or hand model, made on first use from the model's ONNX file (read
 * again through the model's file reader), on the provider its in-process session runs on, and disposed
 * with the model. The
 * in-process session when the model has no single ONNX file to start workers from.
 */
export function threadedSessionOf(model: VisionModel, part: HolisticPart, log?: Logger): ort.InferenceSession {
  const existing = model.handle.attachments.get(HOLISTIC_WORKERS_KEY);
  if (existing instanceof ThreadedSession) return existing.asInferenceSession();
  const source = model.handle.source;
  const path = source?.paths.length === 1 ? source.paths[0] : undefined;
  if (source === undefined || path === undefined) return model.session;
  const threaded = new ThreadedSession(model.session, () => source.read(path), holisticWorkerOptions(part, source.provider, source.threads));
  threaded.onFallback = (reason) => log?.warn({ model: model.id, part, reason }, 'holistic runs this model in process, not on worker threads');
  model.handle.attachments.set(HOLISTIC_WORKERS_KEY, threaded);
  return threaded.asInferenceSession();
}

/** A pipeline on timed views of the sessions; face and hands on their worker-thread sessions. */
export function holisticPipeline(m: HolisticModels, clock: RunClock, options: HolisticOptions, log?: Logger): HolisticPipeline {
  if (options.refineFace && !hasRefinementOutputs(m.face.session)) {
    throw invalidArgument('options.refine_face_landmarks', `model "${m.face.id}" has no refined (attention) outputs`);
  }
  const timed = (s: ort.InferenceSession): ort.InferenceSession => timedSession(s, clock);
  return new HolisticPipeline({
    poseDetector: timed(m.detector.session),
    poseLandmarks: timed(m.landmarks.session),
    faceMesh: timed(threadedSessionOf(m.face, 'face', log)),
    handLandmarks: timed(threadedSessionOf(m.hand, 'hand', log)),
  }, options);
}

/** The proto response for one person (parts that were not found are left unset). */
export function holisticToProto(r: HolisticResult): HolisticResponse {
  return {
    pose: r.pose ? poseToProto(r.pose) : undefined,
    face: r.face ? meshToProto(r.face, undefined) : undefined,
    leftHand: r.leftHand ? handToProto(r.leftHand) : undefined,
    rightHand: r.rightHand ? handToProto(r.rightHand) : undefined,
    timing: undefined,
  };
}

/** The unary Holistic method bound to the child's loaded models. */
export function holisticMethod(loadedModels: LoadedModels, log?: Logger) {
  return async (req: HolisticRequest, metadata: Metadata): Promise<HolisticResponse> => {
    const arrived = performance.now();
    poseComplexity(req.options?.complexity, 'options.complexity');
    const refine = req.options?.refineFaceLandmarks ?? false;
    const m = holisticModels(loadedModels, rolesOf(metadata));
    const models = Object.values(m);
    if (refine && !hasRefinementOutputs(m.face.session)) {
      throw invalidArgument('options.refine_face_landmarks', `model "${m.face.id}" has no refined (attention) outputs`);
    }
    const pool = cachedPool(models, `holistic|refine=${refine}`, () => new PipelinePool<HolisticPipeline>(
      (clock) => holisticPipeline(m, clock, { tracking: false, refineFace: refine }, log),
      (p) => p.dispose(),
    ));
    const r = await withModels(models, () => runFrame(pool, req.frame, regionsOf(metadata), arrived, (i, image) => i.value.runRgb(image)));
    return { ...holisticToProto(r.value), timing: r.timing };
  };
}
