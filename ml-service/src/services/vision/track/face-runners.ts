// Track runners for faces: detection on every frame with ids kept by box overlap, and the face
// tracker (mesh ROIs from the previous frame's landmarks, optional iris) with landmark smoothing.
import { VISION_TASKS } from '@tabagent/common';
import { FaceDetector } from '../../../vision/face/face-detector.js';
import { LandmarksSmoother, SMOOTHING_PRESETS } from '../../../vision/filters/landmarks-smoother.js';
import { FrameClock } from '../../../vision/shared/frame-clock.js';
import { FaceTracker } from '../../../pipelines/face-mesh/face-tracker.js';
import type { TrackedFace } from '../../../vision/types.js';
import { hasRefinementOutputs } from '../../../vision/face-mesh/mesh-model.js';
import { invalidArgument } from '../../../vision/errors.js';
import { taskModels } from '../models.js';
import { faceDetectionSettings, faceMeshSettings } from '../options.js';
import { timedSession } from '../stage-clock.js';
import { detectionToProto, irisToProto, meshToProto } from '../to-proto.js';
import { BoxIds } from './box-ids.js';
import { redetectInterval, type RunnerContext, type RunnerFrame, type RunnerOutput, type TaskRunner } from './runner.js';

/** FACES: the detector on every frame; a face keeps its id while its box overlaps the previous one. */
export function facesRunner(ctx: RunnerContext): TaskRunner {
  const s = faceDetectionSettings(ctx.options.faces, 'options.faces');
  const { detector } = taskModels(ctx.loadedModels, ctx.roles, VISION_TASKS.faces);
  const pipeline = new FaceDetector(timedSession(detector.session, ctx.clock), { maxFaces: s.maxFaces, minScore: s.minScore });
  const ids = new BoxIds();
  return {
    models: [detector],
    async run(frame: RunnerFrame): Promise<RunnerOutput> {
      const faces = await pipeline.runRgb(frame.image);
      const assigned = ids.assign(faces.map((f) => f.box), frame.image.width, frame.image.height);
      return { detectorRan: true, result: { faces: { faces: faces.map((f, i) => detectionToProto(f, assigned[i])), timing: undefined } } };
    },
    dispose: () => pipeline.dispose(),
  };
}

/** Per-face one-euro smoothing of mesh landmarks on the frame timestamps. */
class MeshSmoothing {
  readonly #byId = new Map<number, LandmarksSmoother>();
  readonly #clock = new FrameClock();

  apply(faces: TrackedFace[], timestampUs: number, image: { width: number; height: number }): void {
    const t = this.#clock.next(timestampUs).smoothingUs;
    const seen = new Set<number>();
    for (const face of faces) {
      seen.add(face.id);
      let smoother = this.#byId.get(face.id);
      if (!smoother) {
        smoother = new LandmarksSmoother(SMOOTHING_PRESETS.landmarks);
        this.#byId.set(face.id, smoother);
      }
      face.landmarks = smoother.apply(face.landmarks, t, image);
    }
    for (const id of [...this.#byId.keys()]) if (!seen.has(id)) this.#byId.delete(id);
  }
}

/** FACE_MESH and IRIS: the face tracker; with `iris`, eye landmarks and gaze for every face. */
export function meshRunner(ctx: RunnerContext, iris: boolean): TaskRunner {
  const s = faceMeshSettings(ctx.options.faceMesh, 'options.face_mesh');
  const m = taskModels(ctx.loadedModels, ctx.roles, VISION_TASKS.mesh);
  const irisModel = iris ? taskModels(ctx.loadedModels, ctx.roles, VISION_TASKS.iris).iris : undefined;
  const refine = s.refine && !iris;
  if (refine && !hasRefinementOutputs(m.landmarks.session)) {
    throw invalidArgument('options.face_mesh.refine_landmarks', `model "${m.landmarks.id}" has no refined (attention) outputs`);
  }
  const tracker = new FaceTracker(
    {
      detector: timedSession(m.detector.session, ctx.clock),
      mesh: timedSession(m.landmarks.session, ctx.clock),
      ...(irisModel ? { iris: timedSession(irisModel.session, ctx.clock) } : {}),
    },
    { maxFaces: s.maxFaces, minDetectionScore: s.minScore, refine, redetectInterval: redetectInterval(ctx.options.detectEvery) },
  );
  const smoothing = ctx.options.noSmoothing || iris ? undefined : new MeshSmoothing();
  return {
    models: irisModel ? [m.detector, m.landmarks, irisModel] : [m.detector, m.landmarks],
    async run(frame: RunnerFrame): Promise<RunnerOutput> {
      const r = await tracker.runRgb(frame.image);
      smoothing?.apply(r.faces, frame.timestampUs, frame.image);
      if (!iris) {
        return { detectorRan: r.detectorRan, result: { faceMesh: { faces: r.faces.map((f) => meshToProto(f, undefined, f.id)), timing: undefined } } };
      }
      const faces = r.faces.filter((f) => f.iris !== undefined).map((f) => irisToProto(f.iris!, meshToProto(f, undefined, f.id)));
      return { detectorRan: r.detectorRan, result: { iris: { faces, timing: undefined } } };
    },
    dispose: () => tracker.dispose(),
  };
}
