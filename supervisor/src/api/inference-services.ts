// Public Vision and Text services of the supervisor: every method is forwarded to the child as
// serialized bytes (see passthrough.ts) after its models are loaded. Track frames and Generate/Chat
// tokens are observed for metrics on the way.
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { GenerateResponse, TextService } from '@tabagent/protos/v1/text';
import { VisionService } from '@tabagent/protos/v1/vision';
import { forwardServerStream, forwardUnary, type ForwardDeps } from './forward.js';
import { methodName, passthroughDefinition } from './passthrough.js';
import { routeText, routeVision } from './routes.js';
import { observeTokens, type TokenObserver } from './token-streams.js';
import { forwardTrack, type FrameObserver } from './track-session.js';

/** Public Vision: definition + implementation. */
export function visionProxy(deps: ForwardDeps, frames?: FrameObserver): { definition: ServiceDefinition; impl: UntypedServiceImplementation } {
  const definition = passthroughDefinition(VisionService);
  const impl: UntypedServiceImplementation = {};
  for (const [name, m] of Object.entries(VisionService)) {
    const method = methodName(m.path);
    impl[name] = m.requestStream
      ? forwardTrack(deps, m.path, frames)
      : forwardUnary(deps, m.path, (req) => routeVision(method, req));
  }
  return { definition, impl };
}

/** Tokens in one serialized GenerateResponse (for the "N tokens delivered" message). */
function tokensIn(b: Buffer): number {
  const r = GenerateResponse.decode(b);
  return r.delta?.tokenIds.length ?? 0;
}

/** Public Text: definition + implementation. */
export function textProxy(deps: ForwardDeps, tokens?: TokenObserver): { definition: ServiceDefinition; impl: UntypedServiceImplementation } {
  const definition = passthroughDefinition(TextService);
  const impl: UntypedServiceImplementation = {};
  for (const [name, m] of Object.entries(TextService)) {
    const method = methodName(m.path);
    const route = (req: Buffer): Record<string, string> => routeText(method, req);
    if (!m.responseStream) {
      impl[name] = forwardUnary(deps, m.path, route);
      continue;
    }
    const forward = forwardServerStream(deps, m.path, route, tokensIn, (n) => `the model process restarted during generation after ${n} tokens were delivered; no further tokens will be sent`);
    impl[name] = tokens ? observeTokens(tokens, method, forward) : forward;
  }
  return { definition, impl };
}
