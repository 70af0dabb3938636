// A GGUF model on llama.cpp as a TextEngine: the same options, events, stop strings, usage
// counts and TextError codes as the transformers.js engine. Sampling (temperature, top-k, top-p,
// repetition penalty, seed) and JSON-schema grammars run inside llama.cpp; this loop owns
// detokenizing, stop strings, EOS, the token budget and cancellation.

import type { LlamaContextSequence, LlamaGrammarEvaluationState, LlamaModel, Token } from 'node-llama-cpp';
import type { NodeLlamaCpp } from './bindings.js';
import type { ChatMessage, ChatOptions } from '../chat-messages.js';
import { Detokenizer } from '../detokenizer.js';
import type { TextEngine } from '../engine.js';
import { TextError, invalidArgument } from '../errors.js';
import type { GenerationEvent, FinishReason } from '../events.js';
import type { TextModelInfo } from '../model-info.js';
import { checkInputIds, resolveOptions, type GenerateOptions } from '../options.js';
import { randomSeed } from '../rng.js';
import { StopMatcher } from '../stop-matcher.js';
import { TokenEmitter } from '../token-emitter.js';
import { callSchema, forcedTools, parseCall, toolsSystemText, type ChatTools } from '../tools.js';
import { TabagentError } from '@tabagent/common';
import type { ContextPool } from './contexts.js';
import { renderLlamaChat } from './chat-prompt.js';

/** What the engine needs besides the model: its contexts and a grammar factory. */
export interface LlamaEngineParts {
  readonly id: string;
  readonly model: LlamaModel;
  /** The node-llama-cpp module (chat templates). */
  readonly module: NodeLlamaCpp;
  readonly contexts: ContextPool;
  /** Builds the grammar of a JSON schema; throws on a schema llama.cpp's converter refuses. */
  readonly jsonGrammar: (schema: unknown) => Promise<JsonGrammar>;
  /** Frees what the load allocated beyond the model (the private file, if still there). */
  readonly release: () => Promise<void>;
}

/** A grammar's evaluation state and the stop strings that end its output (trailing whitespace). */
export interface JsonGrammar {
  readonly state: LlamaGrammarEvaluationState;
  readonly stop: readonly string[];
}

export class LlamaTextEngine implements TextEngine {
  readonly id: string;
  readonly info: TextModelInfo;
  #disposed = false;
  /** BOS, EOS and end-of-turn ids. */
  readonly #special: ReadonlySet<number>;

  constructor(private readonly parts: LlamaEngineParts) {
    this.id = parts.id;
    const m = parts.model;
    const eos = [m.tokens.eos, m.tokens.eot].filter((t): t is Token => t !== null && t !== undefined);
    this.info = Object.freeze({
      vocabSize: m.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? 0,
      contextLength: parts.contexts.settings.defaultSize,
      bosTokenId: m.tokens.bos ?? undefined,
      eosTokenIds: Object.freeze(eos.map(Number)),
      addBosByDefault: m.tokens.shouldPrependBosToken,
      chatTemplate: chatTemplateOf(m),
    });
    this.#special = new Set([this.info.bosTokenId, ...this.info.eosTokenIds].filter((t): t is number => t !== undefined));
  }

  #assertUsable(): void {
    if (this.#disposed) throw new TextError('TEXT_MODEL_DISPOSED', `text model ${this.id} has been disposed`);
  }

  #promptIds(o: GenerateOptions): number[] {
    let ids: number[];
    let addBos: boolean;
    if (o.inputIds !== undefined) {
      checkInputIds(o.inputIds, this.info.vocabSize);
      ids = [...o.inputIds];
      addBos = o.addBos ?? false;
    } else {
      if (o.prompt !== undefined && typeof o.prompt !== 'string') throw invalidArgument('prompt', 'must be a string');
      ids = o.prompt ? this.parts.model.tokenize(o.prompt, false).map(Number) : [];
      addBos = o.addBos ?? this.info.addBosByDefault;
    }
    if (addBos) {
      if (this.info.bosTokenId === undefined) throw invalidArgument('addBos', `model ${this.id} has no BOS token`);
      ids.unshift(this.info.bosTokenId);
    }
    if (ids.length === 0) throw invalidArgument(o.inputIds !== undefined ? 'inputIds' : 'prompt', 'is empty and no BOS token is added');
    return ids;
  }

  #contextSize(o: GenerateOptions): number {
    const size = o.contextSize ?? this.info.contextLength;
    const max = this.parts.model.trainContextSize;
    if (!Number.isInteger(size) || size < 16 || size > max) throw invalidArgument('contextSize', `must be an integer from 16 to ${max} (the model's training context), got ${size}`);
    return size;
  }

  async *generate(o: GenerateOptions): AsyncGenerator<GenerationEvent, void, undefined> {
    this.#assertUsable();
    const started = performance.now();
    const prompt = this.#promptIds(o);
    const size = this.#contextSize(o);
    const r = resolveOptions(o, { ...this.info, contextLength: size }, prompt.length);
    const grammar = o.jsonSchema === undefined ? undefined : await this.parts.jsonGrammar(o.jsonSchema);
    const model = this.parts.model;
    const ctx = await this.parts.contexts.acquire(size);
    let sequence: LlamaContextSequence | undefined;
    // Special tokens are dropped before detokenizing (as transformers.js's skip_special_tokens does),
    // so the first piece after BOS loses its word-boundary space like any text's first piece.
    const detokenizer = new Detokenizer((ids) => model.detokenize(ids.filter((t) => !this.#special.has(t)) as Token[], false), prompt);
    // A grammar lets a finished JSON value be followed by whitespace only: its stop strings end that.
    const emitter = new TokenEmitter(detokenizer, new StopMatcher([...r.stop, ...(grammar?.stop ?? [])]), started);
    const seen = [...prompt] as Token[];
    let finishReason: FinishReason = r.signal?.aborted ? 'cancelled' : 'length';
    try {
      sequence = ctx.getSequence();
      const tokens = sequence.evaluate([...seen], {
        temperature: r.temperature,
        topK: r.topK,
        topP: r.topP,
        seed: r.seed ?? randomSeed(),
        ...(r.repetitionPenalty !== 1 ? { repeatPenalty: { punishTokens: () => seen, penalty: r.repetitionPenalty } } : {}),
        ...(grammar ? { grammarEvaluationState: grammar.state } : {}),
      });
      while (finishReason === 'length' && emitter.completion < r.maxNewTokens) {
        this.#assertUsable();
        const step = await tokens.next();
        if (step.done) break;
        if (r.signal?.aborted) {
          finishReason = 'cancelled';
          break;
        }
        const next = step.value;
        emitter.count();
        if (model.isEogToken(next)) {
          finishReason = 'eos';
          break;
        }
        seen.push(next);
        const { delta, stopped } = emitter.push(next);
        if (delta) yield delta;
        if (stopped) finishReason = 'stop';
      }
      await tokens.return();
    } finally {
      sequence?.dispose();
      await this.parts.contexts.release(ctx, size);
    }
    const end = emitter.finish(finishReason, prompt.length);
    if (end.delta) yield end.delta;
    yield end.summary;
  }

  async *chat(messages: readonly ChatMessage[], o: ChatOptions, tools?: ChatTools): AsyncGenerator<GenerationEvent, void, undefined> {
    if (tools && tools.functions.length > 0 && tools.choice !== 'none') {
      yield* this.#forcedCall(messages, o, tools);
      return;
    }
    const rendered = renderLlamaChat(this.parts.module, this.parts.model, this.info, messages);
    yield* this.generate({
      ...o,
      inputIds: rendered.inputIds,
      stop: [...(o.stop ?? []), ...rendered.stop],
    });
  }

  /**
   * tool_choice "required" or a tool's name: the tools are described in a system message and a
   * grammar forces `{"name", "arguments"}` of one of them; the reply is that call, not text.
   * "auto" (the model decides) needs a chat template with tool calling, which this runtime does
   * not drive yet: UNIMPLEMENTED.
   */
  async *#forcedCall(messages: readonly ChatMessage[], o: ChatOptions, tools: ChatTools): AsyncGenerator<GenerationEvent, void, undefined> {
    if (tools.choice === 'auto') {
      throw new TabagentError('TA_ERR_UNIMPLEMENTED', 'tool_choice "auto" is not implemented on llama.cpp yet; use "required", a tool name or "none"', { field: 'tools.choice' });
    }
    if (o.jsonSchema !== undefined) throw invalidArgument('jsonSchema', 'cannot be combined with a forced tool call');
    const allowed = forcedTools(tools);
    const withTools: ChatMessage[] = [{ role: 'system', content: toolsSystemText(allowed) }, ...messages];
    let text = '';
    const ids: number[] = [];
    for await (const e of this.chat(withTools, { ...o, jsonSchema: callSchema(allowed) })) {
      if (e.type === 'delta') {
        text += e.delta;
        ids.push(...e.tokenIds);
        continue;
      }
      const call = e.finishReason === 'stop' || e.finishReason === 'eos' ? parseCall(text, allowed) : undefined;
      if (call) {
        yield { ...e, finishReason: 'tool_calls', toolCalls: [call] };
      } else {
        if (text !== '') yield { type: 'delta', delta: text, tokenIds: ids };
        yield e;
      }
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.parts.contexts.dispose();
    await this.parts.model.dispose();
    await this.parts.release();
  }
}

function chatTemplateOf(m: LlamaModel): string | undefined {
  const t = (m.fileInfo.metadata.tokenizer as { chat_template?: unknown } | undefined)?.chat_template;
  return typeof t === 'string' && t !== '' ? t : undefined;
}
