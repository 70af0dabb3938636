// GET /v1/models and GET /v1/models/{id} (ids containing "/" work URL-encoded or as they are).
import type { FastifyInstance } from 'fastify';
import type { ModelInfo } from '@tabagent/protos/v1/model_management';
import { unaryCall, type LoopbackClients } from '../core/loopback.js';
import { modelListResponse, modelResponse } from './response-schemas.js';

const TIMEOUT_MS = 30_000;

function toModel(m: ModelInfo): Record<string, unknown> {
  return { id: m.id, object: 'model', created: Math.floor(Number(m.loadedAtMs) / 1000), owned_by: 'tabagent', task: m.task };
}

/** Registers the model routes. */
export function modelRoutes(app: FastifyInstance, lb: LoopbackClients): void {
  app.get('/v1/models', { schema: { response: modelListResponse() } }, async () => {
    const res = await unaryCall(lb, lb.models, lb.models.listModels, { loadedOnly: false }, TIMEOUT_MS);
    return { object: 'list', data: res.models.map(toModel) };
  });
  app.get('/v1/models/*', { schema: { response: modelResponse() } }, async (req) => {
    // fastify has decoded the path once ("a%2Fb" is "a/b"); decoding again made "%25" a 500 and "%252e" a ".".
    const id = (req.params as { '*': string })['*'];
    return toModel(await unaryCall(lb, lb.models, lb.models.getModel, { model: id }, TIMEOUT_MS));
  });
}
