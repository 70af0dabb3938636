// Public Vision and Text services of the supervisor: every method is forwarded to the child as
// serialized bytes (see passthrough.ts) after its models are loaded. Calls, Track frames and
// Generate/Chat tokens are observed for metrics on the way (by wrapping the handlers).
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { taskOfMethod } from '@tabagent/common';
import { GenerateResponse, TextService } from '@tabagent/protos/v1/text';
import { VisionService } from '@tabagent/protos/v1/vision';
import { forwardServerStream, forwardUnary, type ForwardDeps } from './forward.js';
import { methodName, passthroughDefinition } from './passthrough.js';
import { countStreaming, countUnary, type CallObserver } from './request-counting.js';
import { routeText, routeVision } from './routes.js';
import { observeTokens, type TokenObserver } from './token-streams.js';
import { forwardTrack, type FrameObserver } from './track-session.js';

/** What the proxies report for metrics. */
export interface InferenceObservers {
  readonly calls: CallObserver;
  readonly frames: FrameObserver;
  readonly tokens: TokenObserver;
  /** The canonical id of a catalog id or alias (undefined for unknown names). */
  canonical(name: string): string | undefined;
}

/** TrackRequest.model */
const TRACK_MODEL_FIELD = 5;
/** The model id of every Text request. */
const TEXT_MODEL_FIELD = 1;

/** Public Vision: definition + implementation. */
export function visionProxy(deps: ForwardDeps, obs?: InferenceObservers): { definition: ServiceDefinition; impl: UntypedServiceImplementation } {
  const definition = passthroughDefinition(VisionService);
  const impl: UntypedServiceImplementation = {};
  for (const [name, m] of Object.entries(VisionService)) {
    const method = methodName(m.path);
    if (m.requestStream) {
      const track = forwardTrack(deps, m.path, obs?.frames);
      impl[name] = obs ? countStreaming(obs.calls, m.path, { field: TRACK_MODEL_FIELD, canonical: obs.canonical }, track) : track;
      continue;
    }
    const unary = forwardUnary(deps, m.path, (req) => routeVision(method, req));
    impl[name] = obs ? countUnary(obs.calls, m.path, { field: taskOfMethod(method)?.wire.model ?? 0, canonical: obs.canonical }, unary) : unary;
  }
  return { definition, impl };
}

/** Tokens in one serialized GenerateResponse (for the "N tokens delivered" message). */
function tokensIn(b: Buffer): number {
  const r = GenerateResponse.decode(b);
  return r.delta?.tokenIds.length ?? 0;
}

/** Public Text: definition + implementation. */
export function textProxy(deps: ForwardDeps, obs?: InferenceObservers): { definition: ServiceDefinition; impl: UntypedServiceImplementation } {
  const definition = passthroughDefinition(TextService);
  const impl: UntypedServiceImplementation = {};
  for (const [name, m] of Object.entries(TextService)) {
    const method = methodName(m.path);
    const route = (req: Buffer): Record<string, string> => routeText(method, req);
    const label = { field: TEXT_MODEL_FIELD, canonical: (n: string) => obs?.canonical(n) };
    if (!m.responseStream) {
      const unary = forwardUnary(deps, m.path, route);
      impl[name] = obs ? countUnary(obs.calls, m.path, label, unary) : unary;
      continue;
    }
    const forward = forwardServerStream(deps, m.path, route, tokensIn, (n) => `the model process restarted during generation after ${n} tokens were delivered; no further tokens will be sent`);
    impl[name] = obs ? countStreaming(obs.calls, m.path, label, observeTokens(obs.tokens, method, forward)) : forward;
  }
  return { definition, impl };
}
