// Which catalog models each public inference method needs, by role, read from the one task table
// in common (VISION_TASKS). The supervisor loads them (on first use) and tells the child which ids
// to use in the "x-tabagent-models" metadata entry.
import { MODEL_IDS, invalidArgument, taskOfMethod, taskOfTrack, type ModelRoles, type TaskModelOptions, type VisionTaskSpec } from '@tabagent/common';
import { TrackTask, type TrackRequest } from '@tabagent/protos/v1/vision';
import { scanFields, scanString } from './wire-scan.js';

/** The roles of one request: the task's defaults, with the request's `model` in its role. */
function rolesFor(task: VisionTaskSpec, options: TaskModelOptions, model: string): ModelRoles {
  const roles: ModelRoles = { ...task.defaults(options) } as ModelRoles;
  if (model !== '' && task.modelRole !== undefined) roles[task.modelRole] = model;
  return roles;
}

/** Models for one request of `method` (e.g. "DetectFaces"), from its serialized bytes. */
export function routeVision(method: string, req: Uint8Array): ModelRoles {
  const task = taskOfMethod(method);
  if (task === undefined) return {};
  const model = task.wire.model > 0 ? scanString(req, task.wire.model) : '';
  const rawOptions = scanFields(req, [task.wire.options]).get(task.wire.options);
  return rolesFor(task, rawOptions ? decodeOptions(task, rawOptions) : {}, model);
}

function decodeOptions(task: VisionTaskSpec, raw: Uint8Array): TaskModelOptions {
  try {
    return task.decodeOptions(raw);
  } catch (err) {
    throw invalidArgument('options', `malformed ${task.method} options message (${(err as Error).message})`);
  }
}

/** Models for a Text request: field 1 is always the model id. */
export function routeText(method: string, req: Uint8Array): ModelRoles {
  const model = scanString(req, 1);
  if (model) return { model };
  if (method === 'Embed') return { model: MODEL_IDS.embeddings };
  if (method === 'Transcribe') return { model: MODEL_IDS.speech };
  return { model: '' };
}

/** Models for a Track stream, from its first (fully decoded) message; an unset task tracks faces. */
export function routeTrack(req: TrackRequest): ModelRoles {
  const task = taskOfTrack(req.task) ?? taskOfTrack(TrackTask.TRACK_TASK_FACES);
  if (task === undefined) return {};
  return rolesFor(task, task.trackOptions(req.options), req.model);
}
