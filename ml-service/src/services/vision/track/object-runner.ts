// Track runner for object detection: the detector on every frame; an object keeps its id while its
// box overlaps one of the previous frame's boxes of the same label.
import { VISION_TASKS } from '@tabagent/common';
import { taskModels } from '../models.js';
import { objectDetectorFor, objectModelLabels, objectToProto } from '../object-methods.js';
import { objectDetectionSettings } from '../options.js';
import { BoxIds } from './box-ids.js';
import type { RunnerContext, RunnerFrame, RunnerOutput, TaskRunner } from './runner.js';

/** OBJECTS: detection on every frame, ids kept per label by box overlap. */
export function objectsRunner(ctx: RunnerContext): TaskRunner {
  const s = objectDetectionSettings(ctx.options.objects, 'options.objects');
  const { detector } = taskModels(ctx.loadedModels, ctx.roles, VISION_TASKS.objects);
  const labels = objectModelLabels(detector, s.allowlist, 'options.objects.category_allowlist');
  const pipeline = objectDetectorFor(detector, s, labels, ctx.clock);
  const idsByLabel = new Map<string, BoxIds>();
  return {
    models: [detector],
    async run(frame: RunnerFrame): Promise<RunnerOutput> {
      const { width, height } = frame.image;
      const objects = await pipeline.runRgb(frame.image);
      const ids = new Array<number>(objects.length).fill(0);
      for (const label of new Set([...objects.map((o) => o.label), ...idsByLabel.keys()])) {
        let tracker = idsByLabel.get(label);
        if (!tracker) idsByLabel.set(label, (tracker = new BoxIds()));
        const mine = objects.flatMap((o, i) => (o.label === label ? [i] : []));
        tracker.assign(mine.map((i) => objects[i]!.box), width, height).forEach((id, k) => (ids[mine[k]!] = id));
      }
      const out = { objects: objects.map((o, i) => objectToProto(o, width, height, ids[i])), imageWidth: width, imageHeight: height, timing: undefined };
      return { detectorRan: true, result: { objects: out } };
    },
    dispose: () => pipeline.dispose(),
  };
}
