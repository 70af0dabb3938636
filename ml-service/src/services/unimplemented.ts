// Builds a service implementation whose methods answer UNIMPLEMENTED with a clear message, for
// capabilities whose pipeline is not in this build yet.
import { Metadata, status, type ServiceDefinition, type ServiceError, type UntypedServiceImplementation } from '@grpc/grpc-js';

/** Every method of `definition` not in `impl` answers UNIMPLEMENTED naming the method. */
export function withUnimplemented(
  definition: ServiceDefinition,
  serviceName: string,
  impl: UntypedServiceImplementation,
): UntypedServiceImplementation {
  const out: UntypedServiceImplementation = { ...impl };
  for (const [name, def] of Object.entries(definition)) {
    if (out[name]) continue;
    const method = def.path.split('/').pop() ?? name;
    const err = (): ServiceError =>
      Object.assign(new Error(`${serviceName}.${method} is not implemented in this build`), {
        code: status.UNIMPLEMENTED,
        details: `${serviceName}.${method} is not implemented in this build`,
        metadata: new Metadata(),
      });
    out[name] = def.responseStream || def.requestStream
      ? (call: { emit(e: 'error', x: unknown): boolean }) => call.emit('error', err())
      : (_call: unknown, cb: (e: ServiceError) => void) => cb(err());
  }
  return out;
}
