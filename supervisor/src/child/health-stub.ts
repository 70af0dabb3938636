// A grpc.health.v1 client stub for the link to the child, built on the link's tuned channel
// options (fast reconnect backoff, private subchannel pool) so a watch on an attached ML service
// that restarted reconnects within about a second instead of the gRPC default of up to two minutes.
import { credentials, makeGenericClientConstructor, type Client, type ServiceDefinition } from '@grpc/grpc-js';
import { grpcLinkChannelOptions } from '@tabagent/common';

/** HealthCheckRequest { string service = 1; } */
function encodeRequest(req: { service: string }): Buffer {
  const name = Buffer.from(req.service, 'utf8');
  if (name.length > 127) throw new Error('health service name too long');
  return name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, name.length]), name]);
}

/** HealthCheckResponse { ServingStatus status = 1; } (a small varint enum). */
function decodeResponse(buf: Buffer): { status: number } {
  let status = 0;
  for (let i = 0; i < buf.length;) {
    const tag = buf[i++] ?? 0;
    if (tag === 0x08) status = buf[i++] ?? 0;
    else break;
  }
  return { status };
}

const method = (name: string, responseStream: boolean) => ({
  path: `/grpc.health.v1.Health/${name}`,
  requestStream: false,
  responseStream,
  requestSerialize: encodeRequest,
  requestDeserialize: (b: Buffer) => ({ service: b.subarray(2).toString('utf8') }),
  responseSerialize: (r: { status: number }) => Buffer.from([0x08, r.status]),
  responseDeserialize: decodeResponse,
  originalName: name.toLowerCase(),
});

const HEALTH_DEFINITION: ServiceDefinition = { check: method('Check', false), watch: method('Watch', true) };

/** A health stub on its own channel with the link's options. */
export function healthStub(address: string): Client {
  const Ctor = makeGenericClientConstructor(HEALTH_DEFINITION, 'grpc.health.v1.Health');
  return new Ctor(address, credentials.createInsecure(), { ...grpcLinkChannelOptions(), 'grpc.use_local_subchannel_pool': 1 });
}
