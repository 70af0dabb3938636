// The decoding loop: prefill, sample, stream UTF-8-safe deltas, honour stop strings, EOS and cancellation.

import { assertUsable, type TextModel } from './load.js';
import { DecoderStepper } from './decoder-step.js';
import { Detokenizer } from '../detokenizer.js';
import { resolveOptions, type GenerateOptions } from '../options.js';
import { decodeIds, promptIds } from './prompt.js';
import { createRng, randomSeed } from '../rng.js';
import { sampleToken } from './sampling.js';
import { StopMatcher } from '../stop-matcher.js';
import { TokenEmitter } from '../token-emitter.js';
import type { FinishReason, GenerationEvent, GenerationResult } from '../events.js';

/**
 * Streams a completion: zero or more `delta` events, then exactly one `final` event. Validation
 * errors are thrown on the first `next()`, before any model work. Aborting `signal` ends the stream
 * with finishReason `cancelled` before the next token is computed.
 */
export async function* generate(m: TextModel, o: GenerateOptions): AsyncGenerator<GenerationEvent, void, undefined> {
  assertUsable(m);
  const started = performance.now();
  const prompt = promptIds(m, o);
  const r = resolveOptions(o, m.info, prompt.length);
  const rng = createRng(r.seed ?? randomSeed());
  const eos = new Set(m.info.eosTokenIds);
  const stepper = new DecoderStepper(m.model);
  const emitter = new TokenEmitter(new Detokenizer((ids) => decodeIds(m, ids), prompt), new StopMatcher(r.stop), started);
  const seen = [...prompt];
  let finishReason: FinishReason = 'length';
  let input: readonly number[] = prompt;

  while (emitter.completion < r.maxNewTokens) {
    if (r.signal?.aborted) {
      finishReason = 'cancelled';
      break;
    }
    assertUsable(m);
    const logits = await stepper.step(input).catch((err: unknown) => {
      assertUsable(m); // disposed mid-step: report that rather than the session's own error
      throw err;
    });
    if (r.signal?.aborted) {
      finishReason = 'cancelled';
      break;
    }
    const next = sampleToken(logits, r, seen, rng);
    emitter.count();
    if (eos.has(next)) {
      finishReason = 'eos';
      break;
    }
    seen.push(next);
    input = [next];
    const { delta, stopped } = emitter.push(next);
    if (delta) yield delta;
    if (stopped) {
      finishReason = 'stop';
      break;
    }
  }

  const end = emitter.finish(finishReason, prompt.length);
  if (end.delta) yield end.delta;
  yield end.summary;
}

/** Runs `generate` to the end and concatenates its deltas. */
export async function generateText(m: TextModel, o: GenerateOptions): Promise<GenerationResult> {
  const deltas: string[] = [];
  const tokenIds: number[] = [];
  for await (const event of generate(m, o)) {
    if (event.type === 'delta') {
      deltas.push(event.delta);
      tokenIds.push(...event.tokenIds);
    } else {
      return {
        promptTokens: event.promptTokens,
        completionTokens: event.completionTokens,
        timeToFirstTokenMs: event.timeToFirstTokenMs,
        tokensPerSecond: event.tokensPerSecond,
        durationMs: event.durationMs,
        finishReason: event.finishReason,
        text: deltas.join(''),
        tokenIds,
        deltas,
      };
    }
  }
  throw new Error('generation ended without a final event');
}
