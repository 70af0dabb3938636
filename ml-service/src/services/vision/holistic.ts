// Holistic: pose, face mesh and both hands of one person. The unary method runs the pipeline in
// image mode from a pool; Track builds a tracking instance of its own with the same helpers.
import type { Metadata } from '@grpc/grpc-js';
import type { ModelRoles } from '@tabagent/common';
import type { HolisticRequest, HolisticResponse } from '@tabagent/protos/v1/vision';
import type { ModelRegistry } from '../../runtime/model-registry.js';
import { hasRefinementOutputs } from '../../vision/face-mesh/mesh-model.js';
import { invalidArgument } from '../../vision/image/errors.js';
import { HolisticPipeline } from '../../vision/holistic/holistic-pipeline.js';
import type { HolisticOptions, HolisticResult } from '../../vision/holistic/holistic-types.js';
import { modelsFor, rolesOf, withModels, type VisionModel } from './models.js';
import { poseComplexity } from './options.js';
import { cachedPool, PipelinePool } from './pipeline-pool.js';
import { runFrame } from './run-frame.js';
import { timedSession, type RunClock } from './stage-clock.js';
import { handToProto, meshToProto, poseToProto } from './to-proto.js';

/** The four models of Holistic, by the roles the supervisor sends. */
export interface HolisticModels {
  detector: VisionModel;
  landmarks: VisionModel;
  face: VisionModel;
  hand: VisionModel;
}

export function holisticModels(registry: ModelRegistry, roles: ModelRoles): HolisticModels {
  return modelsFor(registry, roles, { detector: 'pose detection', landmarks: 'pose landmark', face: 'face mesh', hand: 'hand landmark' });
}

/** A pipeline on timed views of the sessions. */
export function holisticPipeline(m: HolisticModels, clock: RunClock, options: HolisticOptions): HolisticPipeline {
  if (options.refineFace && !hasRefinementOutputs(m.face.session)) {
    throw invalidArgument('options.refine_face_landmarks', `model "${m.face.id}" has no refined (attention) outputs`);
  }
  return new HolisticPipeline({
    poseDetector: timedSession(m.detector.session, clock),
    poseLandmarks: timedSession(m.landmarks.session, clock),
    faceMesh: timedSession(m.face.session, clock),
    handLandmarks: timedSession(m.hand.session, clock),
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

/** The unary Holistic method bound to a registry. */
export function holisticMethod(registry: ModelRegistry) {
  return async (req: HolisticRequest, metadata: Metadata): Promise<HolisticResponse> => {
    const arrived = performance.now();
    poseComplexity(req.options?.complexity, 'options.complexity');
    const refine = req.options?.refineFaceLandmarks ?? false;
    const m = holisticModels(registry, rolesOf(metadata));
    const models = Object.values(m);
    if (refine && !hasRefinementOutputs(m.face.session)) {
      throw invalidArgument('options.refine_face_landmarks', `model "${m.face.id}" has no refined (attention) outputs`);
    }
    const pool = cachedPool(models, `holistic|refine=${refine}`, () => new PipelinePool<HolisticPipeline>(
      (clock) => holisticPipeline(m, clock, { tracking: false, refineFace: refine }),
      (p) => p.dispose(),
    ));
    const r = await withModels(models, () => runFrame(pool, req.frame, arrived, (i, image) => i.value.processImage(image)));
    return { ...holisticToProto(r.value), timing: r.timing };
  };
}
