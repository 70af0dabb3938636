// DetectObjects on single frames: options validated, the detector model from the call's roles (it
// must be an object-detection model), detectors pooled per model and options, boxes mapped to pixels.
import type { Metadata } from '@grpc/grpc-js';
import { VISION_TASKS } from '@tabagent/common';
import type { DetectObjectsRequest, DetectObjectsResponse, DetectedObject } from '@tabagent/protos/v1/vision';
import type { LoadedModels } from '../../runtime/loaded-models.js';
import { classIdsOf } from '../../vision/calculators/detection-label-id-to-text.js';
import { invalidArgument } from '../../vision/errors.js';
import { LABEL_MAPS } from '../../vision/objects/coco-labels.js';
import { ObjectDetector } from '../../vision/objects/object-detector.js';
import type { ObjectDetection } from '../../vision/objects/types.js';
import type { RunClock } from './stage-clock.js';
import { requestRoles, taskModels, withModels, type VisionModel } from './models.js';
import { objectDetectionSettings, type ObjectDetectionSettings } from './options.js';
import { cachedPool, PipelinePool } from './pipeline-pool.js';
import { runFrame } from './run-frame.js';
import { regionsOf } from './shared-frame.js';
import { timedSession } from './stage-clock.js';

/**
 * The label map of `model`, checked up front: the model must be an object-detection model and every
 * allowlisted label one of its labels (INVALID_ARGUMENT naming `field` otherwise).
 */
export function objectModelLabels(model: VisionModel, allowlist: readonly string[], field: string): readonly string[] {
  if (model.loaded.manifest.task !== 'object-detection') {
    throw invalidArgument('model', `"${model.id}" is a ${model.loaded.manifest.task} model, not an object-detection model`);
  }
  const name = model.loaded.params['labels'] ?? 'coco-80';
  const labels = typeof name === 'string' ? LABEL_MAPS[name] : undefined;
  if (labels === undefined) throw invalidArgument('model', `"${model.id}" names an unknown label map ${JSON.stringify(name)}`);
  classIdsOf(labels, allowlist, field);
  return labels;
}

/** A detector over `model` with the request's settings (validated by objectModelLabels). */
export function objectDetectorFor(model: VisionModel, s: ObjectDetectionSettings, labels: readonly string[], clock: RunClock): ObjectDetector {
  return new ObjectDetector(timedSession(model.session, clock), {
    maxResults: s.maxResults, minScore: s.minScore, iouThreshold: s.iouThreshold, categoryAllowlist: s.allowlist, labels,
  });
}

/** Pixel boxes of an image of `width` × `height`. */
export function objectToProto(o: ObjectDetection, width: number, height: number, id = 0): DetectedObject {
  return {
    box: { xMin: o.box.xmin * width, yMin: o.box.ymin * height, width: o.box.width * width, height: o.box.height * height },
    label: o.label, classId: o.classId, score: o.score, id,
  };
}

/** The Vision object-detection method bound to the child's loaded models. */
export function objectMethods(loadedModels: LoadedModels) {
  return {
    async detectObjects(req: DetectObjectsRequest, metadata: Metadata): Promise<DetectObjectsResponse> {
      const arrived = performance.now();
      const s = objectDetectionSettings(req.options);
      const { detector } = taskModels(loadedModels, requestRoles(metadata, VISION_TASKS.objects, req.model), VISION_TASKS.objects);
      const key = `objects|max=${s.maxResults}|min=${s.minScore}|iou=${s.iouThreshold}|allow=${JSON.stringify(s.allowlist)}`;
      const labels = objectModelLabels(detector, s.allowlist, 'options.category_allowlist');
      const pool = cachedPool([detector], key, () => new PipelinePool<ObjectDetector>(
        (clock) => objectDetectorFor(detector, s, labels, clock),
        (d) => d.dispose(),
      ));
      const r = await withModels([detector], () => runFrame(pool, req.frame, regionsOf(metadata), arrived, async (i, image) => ({
        objects: await i.value.runRgb(image), width: image.width, height: image.height,
      })));
      const { objects, width, height } = r.value;
      return { objects: objects.map((o) => objectToProto(o, width, height)), imageWidth: width, imageHeight: height, timing: r.timing };
    },
  };
}
