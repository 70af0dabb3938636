// POST /v1/embeddings: input as a string or an array of strings, encoding_format float or base64
// (little-endian float32), through the public Text.Embed handler called in process (and so its
// dynamic batcher, queues and replay on child loss), without a loopback gRPC hop.
import type { FastifyInstance } from 'fastify';
import { EmbedRequest, EmbedResponse, Pooling } from '@tabagent/protos/v1/text';
import { badParam } from '../core/errors.js';
import type { UnaryInvoker } from '../core/in-process.js';
import { embeddingsResponse } from './response-schemas.js';

const TIMEOUT_MS = 120_000;

interface EmbeddingsBody { model: string; input: unknown; encoding_format?: string; dimensions?: number | null }

function inputs(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((s) => typeof s === 'string')) return input as string[];
  throw badParam('input', 'must be a string or a non-empty array of strings (token arrays are not supported)');
}

/** The serialized EmbedRequest of `texts`. */
function request(model: string, texts: string[]): Buffer {
  const bytes = EmbedRequest.encode({ model, texts, pooling: Pooling.POOLING_UNSPECIFIED }).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Registers /v1/embeddings on `text` (the public Text service's unary methods). */
export function embeddingRoutes(app: FastifyInstance, text: UnaryInvoker): void {
  const body = {
    type: 'object', required: ['model', 'input'],
    properties: { model: { type: 'string' }, input: {}, encoding_format: { type: ['string', 'null'], enum: ['float', 'base64', null] }, dimensions: { type: ['integer', 'null'], minimum: 1 }, user: { type: 'string' } },
  };
  app.post('/v1/embeddings', { schema: { body, response: embeddingsResponse() } }, async (req, reply) => {
    const b = req.body as EmbeddingsBody;
    const texts = inputs(b.input);
    const abort = new AbortController();
    reply.raw.once('close', () => { if (!reply.raw.writableFinished) abort.abort(); });
    const res = EmbedResponse.decode(await text('embed', request(b.model, texts), new Date(Date.now() + TIMEOUT_MS), abort.signal));
    if (b.dimensions != null && b.dimensions !== res.dimensions) throw badParam('dimensions', `the model gives ${res.dimensions}-dimensional vectors and cannot shorten them`);
    const base64 = b.encoding_format === 'base64';
    const data = res.embeddings.map((e, index) => ({
      object: 'embedding', index,
      embedding: base64 ? Buffer.from(new Float32Array(e.values).buffer).toString('base64') : e.values,
    }));
    return { object: 'list', data, model: b.model, usage: { prompt_tokens: 0, total_tokens: 0 } };
  });
}
