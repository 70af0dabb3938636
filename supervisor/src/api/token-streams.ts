// Observes the token stream of a forwarded Generate/Chat call for metrics: each message the proxy
// writes to the client is read for its token count (and the final counts), with the call's arrival
// time, surface and requested model. The forwarding itself is untouched: the handler is wrapped.
import type { ServerWritableStream } from '@grpc/grpc-js';
import { SURFACE_KEY, surfaceOf, type Surface } from '@tabagent/common';
import { GenerateResponse } from '@tabagent/protos/v1/text';
import { scanString } from './wire-scan.js';

/** One stream's observer. */
export interface TokenStreamTimer {
  /** A message written to the client: its tokens, and the generation's counts when it is the last. */
  message(tokens: number, done?: { promptTokens: number; completionTokens: number }): void;
}

/** Makes one timer per stream. */
export interface TokenObserver {
  /** `model` is the model the request names (field 1, maybe an alias); `startedMs` is performance.now(). */
  stream(surface: Surface, method: string, model: string, startedMs: number): TokenStreamTimer;
}

/** The model a Generate/Chat request names (field 1); "" for none or malformed bytes (the forwarding refuses those). */
function requestedModel(req: Buffer): string {
  try {
    return scanString(req, 1);
  } catch {
    return '';
  }
}

type Handler = (call: ServerWritableStream<Buffer, Buffer>) => void;
type Write = (chunk: Buffer, ...rest: unknown[]) => boolean;

/** Wraps a server-streaming Text handler so every message it writes is observed. */
export function observeTokens(observer: TokenObserver, method: string, handler: Handler): Handler {
  return (call) => {
    const timer = observer.stream(surfaceOf(call.metadata.get(SURFACE_KEY)), method, requestedModel(call.request), performance.now());
    const write = call.write.bind(call) as Write;
    const observed: Write = (chunk, ...rest) => {
      try {
        const r = GenerateResponse.decode(chunk);
        timer.message(r.delta?.tokenIds.length ?? 0, r.done);
      } catch {
        // not ours to judge: the message goes out as it is
      }
      return write(chunk, ...rest);
    };
    (call as unknown as { write: Write }).write = observed;
    handler(call);
  };
}
