// Serves one Embed request: validates texts and options, then embeds through the model's batcher.

import { Pooling, type EmbedRequest, type EmbedResponse } from '@tabagent/protos/v1/text';
import type { EmbedderHandle, PoolingMode } from './embedder.js';
import { invalidEmbed } from './errors.js';

const POOLING: Readonly<Record<number, PoolingMode>> = {
  [Pooling.POOLING_UNSPECIFIED]: 'default',
  [Pooling.POOLING_MEAN]: 'mean',
  [Pooling.POOLING_CLS]: 'cls',
  [Pooling.POOLING_NONE]: 'none',
};

/** Checks an Embed request against the model; throws EMBED_INVALID_ARGUMENT naming the field. */
export function validateEmbed(req: EmbedRequest, h: EmbedderHandle): { pooling: PoolingMode; normalize: boolean } {
  const max = h.config.maxTextsPerRequest;
  if (req.texts.length === 0) throw invalidEmbed('texts', 'must contain at least one text');
  if (req.texts.length > max) throw invalidEmbed('texts', `has ${req.texts.length} texts; at most ${max} are allowed per request`);
  req.texts.forEach((t, i) => {
    if (t.trim() === '') throw invalidEmbed(`texts[${i}]`, 'is empty');
  });
  const pooling = POOLING[req.pooling];
  if (pooling === undefined) throw invalidEmbed('pooling', `unknown value ${req.pooling}`);
  if (pooling !== 'default' && !h.embedder.poolings.includes(pooling)) {
    const allowed = ['POOLING_UNSPECIFIED', ...h.embedder.poolings.map((p) => `POOLING_${p.toUpperCase()}`)];
    throw invalidEmbed('pooling', `${h.embedder.id} supports ${allowed.join(', ')}`);
  }
  return { pooling, normalize: req.normalize ?? true };
}

/** Embeds the texts of one request. */
export async function serveEmbed(req: EmbedRequest, h: EmbedderHandle): Promise<EmbedResponse> {
  const opts = validateEmbed(req, h);
  const vectors = await h.embed(req.texts, opts);
  return { embeddings: vectors.map((v) => ({ values: Array.from(v) })), dimensions: vectors[0]?.length ?? h.embedder.dimensions };
}
