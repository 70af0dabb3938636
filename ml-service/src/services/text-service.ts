// The Text gRPC service of the child: Generate / Chat (streams), Embed (dynamic batching per
// model) and Transcribe, on the models the supervisor named in the "x-tabagent-models" entry.
import type { Metadata, ServerUnaryCall, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { MODELS_KEY, decodeRoles, invalidArgument, serverStream, unary, type Logger } from '@tabagent/common';
import type {
  ChatRequest, EmbedRequest, EmbedResponse, GenerateRequest, GenerateResponse, TextServer, TranscribeRequest, TranscribeResponse,
} from '@tabagent/protos/v1/text';
import { serveEmbed } from '../embeddings/embed-request.js';
import type { BatchTally } from '../embeddings/batch-tally.js';
import { asEmbedderHandle } from '../embeddings/embedder.js';
import type { LoadedModel, RuntimeHandle } from '../runtime/loaded-model.js';
import type { LoadedModels } from '../runtime/loaded-models.js';
import { withCalls } from '../runtime/model-calls.js';
import { asSpeechHandle } from '../speech/speech-handle.js';
import { serveTranscribe } from '../speech/transcribe-request.js';
import { mapEngineErrors } from '../errors/engine-errors.js';
import { serveChat, serveGenerate } from '../text/generate-request.js';
import type { GenerationSummary } from '../text/events.js';
import { asTextHandle } from '../text/text-handle.js';

/** The model of a call: the supervisor's role entry, else the request's own field. */
function modelId(metadata: Metadata, requested: string): string {
  const raw = metadata.get(MODELS_KEY)[0];
  const id = (typeof raw === 'string' ? decodeRoles(raw)['model'] : undefined) || requested;
  if (!id) throw invalidArgument('model', 'is required');
  return id;
}

/** Runs `fn` on a loaded model of the right kind, counting it as in flight. */
async function withModel<H, T>(
  loadedModels: LoadedModels, id: string, narrow: (h: RuntimeHandle) => H | undefined, what: string, fn: (h: H, m: LoadedModel) => Promise<T>,
): Promise<T> {
  const m = loadedModels.get(id);
  const h = narrow(m.handle);
  if (!h) throw invalidArgument('model', `"${id}" is a ${m.manifest.task} model, not ${what}`);
  return withCalls([m.calls], () => mapEngineErrors(fn(h, m)));
}

/** Builds the Text service implementation. */
export function textService(loadedModels: LoadedModels, log: Logger, batches?: Pick<BatchTally, 'record'>): UntypedServiceImplementation {
  const logDone = (id: string, method: string, f: GenerationSummary | undefined): void => {
    if (f) log.debug({ model: id, method, tokens: f.completionTokens, ttftMs: Math.round(f.timeToFirstTokenMs), finish: f.finishReason }, 'generation finished');
  };
  const impl: TextServer = {
    generate: serverStream(async (req: GenerateRequest, call: ServerWritableStream<GenerateRequest, GenerateResponse>) => {
      const id = modelId(call.metadata, req.model);
      const f = await withModel(loadedModels, id, asTextHandle, 'a text-generation model', (h) => serveGenerate(h.engine, req, call));
      logDone(id, 'Generate', f);
    }),
    chat: serverStream(async (req: ChatRequest, call: ServerWritableStream<ChatRequest, GenerateResponse>) => {
      const id = modelId(call.metadata, req.model);
      const f = await withModel(loadedModels, id, asTextHandle, 'a text-generation model', (h) => serveChat(h.engine, req, call));
      logDone(id, 'Chat', f);
    }),
    embed: unary(async (req: EmbedRequest, call: ServerUnaryCall<EmbedRequest, EmbedResponse>) => {
      const id = modelId(call.metadata, req.model);
      return withModel(loadedModels, id, asEmbedderHandle, 'an embedding model', (h) => {
        h.onBatch ??= (r) => {
          batches?.record(id, r.items);
          log.debug({ model: id, texts: r.items, requests: r.requests, queueMs: +r.queueMs.toFixed(2), runMs: +r.runMs.toFixed(2) }, 'embedding batch');
        };
        return serveEmbed(req, h);
      });
    }),
    transcribe: unary(async (req: TranscribeRequest, call: ServerUnaryCall<TranscribeRequest, TranscribeResponse>) => {
      const id = modelId(call.metadata, req.model);
      return withModel(loadedModels, id, asSpeechHandle, 'a speech-to-text model', (h) => serveTranscribe(req, h));
    }),
  };
  return impl;
}
