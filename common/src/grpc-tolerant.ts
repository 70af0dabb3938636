// Malformed request bytes answered as INVALID_ARGUMENT. grpc-js answers a request whose
// deserializer throws with INTERNAL "Error deserializing request" and no error code, which tells a
// client nothing and reads like a server fault. A tolerant service's deserializers never throw: a
// message that does not parse reaches the handler wrapper as a marker, and the call is answered
// INVALID_ARGUMENT naming `request`, with the stable code, before the handler runs (unary and
// server-streaming methods; a client stream's messages are decoded by the stream).
import type { sendUnaryData, ServiceDefinition, ServiceError, UntypedServiceImplementation } from '@grpc/grpc-js';
import { toGrpcStatus } from './errors/grpc-status.js';
import { TabagentError } from './errors/tabagent-error.js';
import { failStream } from './grpc-handlers.js';

/** What a tolerant deserializer returns for bytes that do not parse. */
class MalformedRequest {
  constructor(readonly reason: string) {}
}

function malformedError(m: MalformedRequest): TabagentError {
  return new TabagentError('TA_ERR_INVALID_ARGUMENT', `request: malformed protobuf message (${m.reason})`);
}

/**
 * The definition with deserializers that never throw, and the implementation with every handler
 * answering a malformed request itself. Register both together.
 */
export function tolerantService<D extends ServiceDefinition, I extends UntypedServiceImplementation>(
  definition: D, impl: I,
): { definition: D; impl: I } {
  const def: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(definition)) {
    const decode = method.requestDeserialize;
    // Client-streaming methods decode each message inside the stream; they stay as they are.
    if (method.requestStream) {
      def[name] = method;
      continue;
    }
    def[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer): unknown => {
        try {
          return decode(bytes);
        } catch (err) {
          return new MalformedRequest((err as Error).message);
        }
      },
    };
  }
  const out: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(impl)) {
    out[name] = (call: { request?: unknown; emit(ev: 'error', e: unknown): boolean }, cb?: sendUnaryData<unknown>) => {
      if (call.request instanceof MalformedRequest) {
        const err = malformedError(call.request);
        if (cb) cb(toGrpcStatus(err) as ServiceError);
        else failStream(call, err);
        return;
      }
      (handler as (c: unknown, cb?: unknown) => void)(call, cb);
    };
  }
  return { definition: def as D, impl: out as I };
}
