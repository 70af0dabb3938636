// DetectFaces, FaceMesh and Iris on single frames: options validated, models from the call's roles,
// pipelines pooled per model combination and options, results mapped to the proto.
import type { Metadata } from '@grpc/grpc-js';
import { invalidArgument, VISION_TASKS } from '@tabagent/common';
import type {
  DetectFacesRequest, DetectFacesResponse, FaceMeshRequest, FaceMeshResponse, FaceMeshResult as ProtoFaceMesh, IrisRequest, IrisResponse,
} from '@tabagent/protos/v1/vision';
import type { LoadedModels } from '../../runtime/loaded-models.js';
import { FaceMesh } from '../../pipelines/face-mesh/face-mesh.js';
import { hasRefinementOutputs } from '../../vision/face-mesh/mesh-model.js';
import { faceRoiFromDetection } from '../../vision/face-mesh/roi.js';
import { FaceDetector } from '../../vision/face/face-detector.js';
import { IrisLandmarker } from '../../vision/iris/iris-landmarker.js';
import type { Detection, FaceMeshResult, RgbImage } from '../../vision/types.js';
import { requestRoles, taskModels, withModels, type VisionModel } from './models.js';
import { faceDetectionSettings, faceMeshSettings, irisSettings, type FaceMeshSettings } from './options.js';
import { cachedPool, PipelinePool } from './pipeline-pool.js';
import { runFrame } from './run-frame.js';
import { regionsOf } from './shared-frame.js';
import { timedSession } from './stage-clock.js';
import { detectionToProto, irisToProto, meshToProto } from './to-proto.js';

/** A face mesh pipeline plus, for Iris, the iris model. */
interface MeshInstance {
  mesh: FaceMesh;
  iris: IrisLandmarker | undefined;
}

/** A mesh result with the detection it came from. */
export interface MeshWithDetection {
  mesh: FaceMeshResult;
  detection: Detection;
}

function meshPool(models: VisionModel[], s: FaceMeshSettings, withIris: boolean): PipelinePool<MeshInstance> {
  const [detector, landmarks, iris] = models as [VisionModel, VisionModel, VisionModel | undefined];
  if (s.refine && !hasRefinementOutputs(landmarks.session)) {
    throw invalidArgument('options.refine_landmarks', `model "${landmarks.id}" has no refined (attention) outputs; use mediapipe/face-mesh-attention`);
  }
  const key = `face-mesh|max=${s.maxFaces}|min=${s.minScore}|refine=${s.refine}|iris=${withIris}`;
  return cachedPool(models, key, () => new PipelinePool<MeshInstance>(
    (clock) => ({
      mesh: new FaceMesh(
        { detector: timedSession(detector.session, clock), mesh: timedSession(landmarks.session, clock) },
        { maxFaces: s.maxFaces, minDetectionScore: s.minScore, refine: s.refine },
      ),
      iris: withIris && iris ? new IrisLandmarker(timedSession(iris.session, clock)) : undefined,
    }),
    (i) => {
      i.mesh.dispose();
      i.iris?.dispose();
    },
  ));
}

/** Detection → ROI → mesh for every face (what FaceMesh.runRgb does, keeping the detections). */
export async function meshFaces(mesh: FaceMesh, image: RgbImage): Promise<MeshWithDetection[]> {
  const detections = await mesh.detector.runRgb(image);
  const out: MeshWithDetection[] = [];
  for (const detection of detections) {
    const result = await mesh.meshFromRoi(image, faceRoiFromDetection(detection, image));
    if (result !== null) out.push({ mesh: result, detection });
  }
  return out;
}

/** The Vision face methods bound to the child's loaded models. */
export function faceMethods(loadedModels: LoadedModels) {
  return {
    async detectFaces(req: DetectFacesRequest, metadata: Metadata): Promise<DetectFacesResponse> {
      const arrived = performance.now();
      const s = faceDetectionSettings(req.options);
      const { detector } = taskModels(loadedModels, requestRoles(metadata, VISION_TASKS.faces, req.model), VISION_TASKS.faces);
      const pool = cachedPool([detector], `faces|max=${s.maxFaces}|min=${s.minScore}`, () => new PipelinePool<FaceDetector>(
        (clock) => new FaceDetector(timedSession(detector.session, clock), { maxFaces: s.maxFaces, minScore: s.minScore }),
        (d) => d.dispose(),
      ));
      const r = await withModels([detector], () => runFrame(pool, req.frame, regionsOf(metadata), arrived, (i, image) => i.value.runRgb(image)));
      return { faces: r.value.map((d) => detectionToProto(d)), timing: r.timing };
    },

    async faceMesh(req: FaceMeshRequest, metadata: Metadata): Promise<FaceMeshResponse> {
      const arrived = performance.now();
      const s = faceMeshSettings(req.options);
      const m = taskModels(loadedModels, requestRoles(metadata, VISION_TASKS.mesh, req.model), VISION_TASKS.mesh);
      const models = [m.detector, m.landmarks];
      const pool = meshPool(models, s, false);
      const r = await withModels(models, () => runFrame(pool, req.frame, regionsOf(metadata), arrived, (i, image) => meshFaces(i.value.mesh, image)));
      return { faces: r.value.map((f) => meshToProto(f.mesh, f.detection)), timing: r.timing };
    },

    async iris(req: IrisRequest, metadata: Metadata): Promise<IrisResponse> {
      const arrived = performance.now();
      const s = irisSettings(req.options);
      const m = taskModels(loadedModels, requestRoles(metadata, VISION_TASKS.iris, req.model), VISION_TASKS.iris);
      const models = [m.detector, m.landmarks, m.iris];
      const pool = meshPool(models, s, true);
      const r = await withModels(models, () => runFrame(pool, req.frame, regionsOf(metadata), arrived, async (i, image) => {
        const faces = await meshFaces(i.value.mesh, image);
        const out = [];
        for (const f of faces) {
          const face: ProtoFaceMesh = meshToProto(f.mesh, f.detection);
          out.push(irisToProto(await i.value.iris!.process(image, f.mesh.landmarks), face));
        }
        return out;
      }));
      return { faces: r.value, timing: r.timing };
    },
  };
}
