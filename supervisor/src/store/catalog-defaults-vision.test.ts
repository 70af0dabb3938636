// Every default model the task table names is in the embedded catalog, with the catalog task its
// role needs: a table entry pointing at a missing or wrong-kind model fails here, not at a call.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL_IDS, VISION_TASKS, type TaskModelOptions } from '@tabagent/common';
import { PoseModel } from '@tabagent/protos/v1/vision';
import { VISION_DEFAULTS } from './catalog-defaults-vision.js';

/** Option sets that reach every default (each variant's model). */
const OPTION_SETS: TaskModelOptions[] = [
  {}, { refineLandmarks: true }, { handsLite: true }, { landscape: true },
  { poseComplexity: PoseModel.POSE_MODEL_LITE }, { poseComplexity: PoseModel.POSE_MODEL_HEAVY },
];

describe('vision catalog defaults and the task table', () => {
  it('every default of every role is a catalog entry of the role kind', () => {
    const byId = new Map(VISION_DEFAULTS.map((e) => [e.id, e]));
    const used = new Set<string>();
    for (const [name, task] of Object.entries(VISION_TASKS)) {
      for (const o of OPTION_SETS) {
        for (const [role, id] of Object.entries(task.defaults(o))) {
          const spec = (task.roles as Record<string, { kind: string }>)[role];
          assert.ok(spec, `${name}: default for unknown role ${role}`);
          const entry = byId.get(id);
          assert.ok(entry, `${name}.${role}: ${id} is not in the vision catalog`);
          assert.equal(entry.task, spec.kind, `${name}.${role}: ${id} is a ${entry.task} model`);
          used.add(id);
        }
      }
    }
    const visionIds = Object.values(MODEL_IDS).filter((id) => id !== MODEL_IDS.embeddings && id !== MODEL_IDS.speech);
    // Chosen only by model id (no option picks them): they must still be of their task's kind.
    const byIdOnly = [MODEL_IDS.sceneMatting];
    for (const id of byIdOnly) assert.equal(byId.get(id)?.task, VISION_TASKS.segment.roles.segmenter.kind, id);
    assert.deepEqual([...used, ...byIdOnly].sort(), [...visionIds].sort(), 'every vision default id is reachable from some option set');
    assert.deepEqual(VISION_DEFAULTS.map((e) => e.id).sort(), [...visionIds].sort(), 'the catalog holds exactly the table ids');
  });
});
