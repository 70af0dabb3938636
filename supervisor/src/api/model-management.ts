// ModelManagement: PullModel (progress stream), LoadModel, UnloadModel, ListModels, GetModel.
import type { ServerWritableStream } from '@grpc/grpc-js';
import { invalidArgument, serverStream, unary } from '@tabagent/common';
import {
  ModelState, PullStage, type GetModelRequest, type ListModelsRequest, type ListModelsResponse, type LoadModelRequest,
  type LoadModelResponse, type ModelInfo, type ModelManagementServer, type PullModelRequest, type PullProgress,
  type UnloadModelRequest, type UnloadModelResponse,
} from '@tabagent/protos/v1/model_management';
import type { GetRuntimeStatusResponse } from '@tabagent/protos/v1/model_management';
import type { ModelStatus, ModelView } from '../registry/model-record.js';
import type { SupervisorModels } from '../registry/supervisor-models.js';
import type { PullProgress as StoreProgress } from '../store/core/types.js';

const STAGES: Readonly<Record<StoreProgress['stage'], PullStage>> = {
  resolving: PullStage.PULL_STAGE_RESOLVING,
  downloading: PullStage.PULL_STAGE_DOWNLOADING,
  verifying: PullStage.PULL_STAGE_VERIFYING,
  converting: PullStage.PULL_STAGE_CONVERTING,
  done: PullStage.PULL_STAGE_DONE,
};

const WIRE_STATES: Readonly<Record<ModelStatus, ModelState>> = {
  available: ModelState.MODEL_STATE_AVAILABLE,
  pulling: ModelState.MODEL_STATE_PULLING,
  converting: ModelState.MODEL_STATE_CONVERTING,
  pulled: ModelState.MODEL_STATE_PULLED,
  loading: ModelState.MODEL_STATE_LOADING,
  ready: ModelState.MODEL_STATE_READY,
  unloaded: ModelState.MODEL_STATE_UNLOADED,
  failed: ModelState.MODEL_STATE_FAILED,
};

/** The wire form of a model's view. */
export function toModelInfo(v: ModelView): ModelInfo {
  return { ...v, state: WIRE_STATES[v.state], nodes: [...v.nodes] };
}

function requireModel(model: string): string {
  if (!model) throw invalidArgument('model', 'is required');
  return model;
}

/** Builds the ModelManagement implementation. */
export function modelManagementService(registry: SupervisorModels, runtimeStatus: () => Promise<GetRuntimeStatusResponse>): ModelManagementServer {
  return {
    pullModel: serverStream(async (req: PullModelRequest, call: ServerWritableStream<PullModelRequest, PullProgress>) => {
      const id = (await registry.get(requireModel(req.model))).id; // progress names the canonical id
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      let last: PullProgress | undefined;
      await registry.pull(id, (p) => {
        last = { model: id, stage: STAGES[p.stage], bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, file: p.file ?? '', message: '' };
        if (!call.cancelled) call.write(last);
      }, abort.signal);
      if (last?.stage !== PullStage.PULL_STAGE_DONE && !call.cancelled) {
        call.write({ model: id, stage: PullStage.PULL_STAGE_DONE, bytesDone: 0, bytesTotal: 0, file: '', message: 'already in the cache' });
      }
    }),
    loadModel: unary(async (req: LoadModelRequest): Promise<LoadModelResponse> => ({
      model: toModelInfo(await registry.load(requireModel(req.model), req.options)),
    })),
    unloadModel: unary(async (req: UnloadModelRequest): Promise<UnloadModelResponse> => ({
      model: toModelInfo(await registry.unload(requireModel(req.model))),
    })),
    listModels: unary(async (req: ListModelsRequest): Promise<ListModelsResponse> => ({
      models: (await registry.list(req.loadedOnly)).map(toModelInfo),
    })),
    getModel: unary(async (req: GetModelRequest): Promise<ModelInfo> => toModelInfo(await registry.get(requireModel(req.model)))),
    getRuntimeStatus: unary(() => runtimeStatus()),
  };
}
