// Which loaded ONNX models a Vision call uses: the roles the supervisor put in the
// "x-tabagent-models" metadata entry (e.g. detector=..., landmarks=...), looked up in the child's
// loadedModels and counted as in flight while the call runs.
import type { Metadata } from '@grpc/grpc-js';
import { MODELS_KEY, decodeRoles, invalidArgument, roleLabels, type ModelRoles, type VisionRole, type VisionTaskSpec } from '@tabagent/common';
import type * as ort from 'onnxruntime-node';
import type { LoadedModel } from '../../runtime/loaded-model.js';
import type { LoadedModels } from '../../runtime/loaded-models.js';
import { withCalls } from '../../runtime/model-calls.js';
import { OnnxHandle } from '../../runtime/onnx-loader.js';

/** Roles of a call; a single-role call may name its model in the request instead. */
export function rolesOf(metadata: Metadata, fallback?: { role: string; model: string }): ModelRoles {
  const raw = metadata.get(MODELS_KEY)[0];
  const roles = typeof raw === 'string' ? decodeRoles(raw) : {};
  if (fallback && !roles[fallback.role] && fallback.model) roles[fallback.role] = fallback.model;
  return roles;
}

/** Roles of a unary call of `task`: its request's `model` fills the task's own role (from the task table). */
export function requestRoles(metadata: Metadata, task: VisionTaskSpec, model: string): ModelRoles {
  return rolesOf(metadata, task.modelRole === undefined ? undefined : { role: task.modelRole, model });
}

/** One model of a call. */
export interface VisionModel {
  readonly id: string;
  readonly loaded: LoadedModel;
  readonly handle: OnnxHandle;
  readonly session: ort.InferenceSession;
}

/** The model of `role`, which must be a loaded ONNX model. */
export function modelFor(loadedModels: LoadedModels, roles: ModelRoles, role: string, what: string): VisionModel {
  const id = roles[role];
  if (!id) throw invalidArgument('model', `no ${what} model was given for this call (role "${role}")`);
  const loaded = loadedModels.get(id);
  if (!(loaded.handle instanceof OnnxHandle)) {
    throw invalidArgument('model', `"${id}" is a ${loaded.manifest.task} model on ${loaded.manifest.runtime}, not an ONNX ${what} model`);
  }
  return { id, loaded, handle: loaded.handle, session: loaded.handle.main };
}

/** Looks up several roles at once: { detector: 'face detector', ... } → models by role. */
export function modelsFor<R extends string>(loadedModels: LoadedModels, roles: ModelRoles, wanted: Readonly<Record<R, string>>): Record<R, VisionModel> {
  const out = {} as Record<R, VisionModel>;
  for (const role of Object.keys(wanted) as R[]) out[role] = modelFor(loadedModels, roles, role, wanted[role]);
  return out;
}

/** Every model `task` needs (its roles in the task table), by role. */
export function taskModels<T extends VisionTaskSpec>(loadedModels: LoadedModels, roles: ModelRoles, task: T): Record<keyof T['roles'] & VisionRole, VisionModel> {
  return modelsFor(loadedModels, roles, roleLabels(task));
}

/**
 * Runs `fn` with the models counted as in flight (so the supervisor's view and eviction agree, and an
 * unload waits for it); refuses when one of them is being unloaded.
 */
export function withModels<T>(models: readonly VisionModel[], fn: () => Promise<T>): Promise<T> {
  return withCalls(models.map((m) => m.loaded.calls), fn);
}
