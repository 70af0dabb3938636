// A service definition whose messages stay serialized: the supervisor forwards request bytes to
// the child and response bytes to the client without decoding or re-encoding them.
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

const identity = (b: Buffer): Buffer => b;

/** The same service with identity (de)serializers. */
export function passthroughDefinition(def: ServiceDefinition): ServiceDefinition {
  const out: Record<string, MethodDefinition<Buffer, Buffer>> = {};
  for (const [name, m] of Object.entries(def)) {
    out[name] = {
      ...m,
      requestSerialize: identity, requestDeserialize: identity,
      responseSerialize: identity, responseDeserialize: identity,
    } as MethodDefinition<Buffer, Buffer>;
  }
  return out;
}

/** Method name from a path, e.g. "/tabagent.v1.Vision/DetectFaces" → "DetectFaces". */
export function methodName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export { identity };
