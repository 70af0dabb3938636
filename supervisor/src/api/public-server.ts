// The public gRPC server: health (liveness "" + one status per capability), reflection,
// ModelManagement, and the Vision / Text proxies, with optional bearer-token auth and TLS. With
// TLS the same services are also bound, in plain text, on a private unix socket (0600 in a 0700
// folder): the process's own HTTP routes call the API there without a certificate to trust.
import { chmod } from 'node:fs/promises';
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { bindGrpcServer, HEALTH_SERVICES, HealthImplementation, grpcServerOptions, tolerantService } from '@tabagent/common';
import { protoDir, protoFiles } from '@tabagent/protos';
import { ModelManagementService, type ModelManagementServer } from '@tabagent/protos/v1/model_management';
import { SharedMemoryService, type SharedMemoryServer } from '@tabagent/protos/v1/shared_memory';
import { requireBearer } from './auth.js';
import { captureHttp2Servers, interceptStreams, type StreamInterceptor } from './pass-through-server.js';

/** What the public server serves. */
export interface PublicServices {
  modelManagement: ModelManagementServer;
  vision: { definition: ServiceDefinition; impl: UntypedServiceImplementation };
  text: { definition: ServiceDefinition; impl: UntypedServiceImplementation };
  sharedMemory: SharedMemoryServer;
  extra?: Array<{ definition: ServiceDefinition; impl: UntypedServiceImplementation }>;
}

/** A bound public server. */
export interface PublicServer {
  readonly server: Server;
  readonly health: HealthImplementation;
  readonly port: number;
  /** The private plain-text address of the same services (with TLS only). */
  readonly privateAddress: string | undefined;
  /** Whether the stream interceptor (the pass-through forwarder) was installed; false means grpc-js serves every call. */
  readonly intercepting: boolean;
}

/** TLS of the public listener, and where its private plain-text twin binds. */
export interface PublicTls {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Unix socket path inside a private folder. */
  readonly privateSocket: string;
}

/** Creates and binds the public server; health "" is SERVING once bound, capabilities follow the child. */
export async function startPublicServer(
  host: string, port: number, token: string, services: PublicServices, tls?: PublicTls, intercept?: StreamInterceptor,
): Promise<PublicServer> {
  const server = new Server(grpcServerOptions());
  const health = new HealthImplementation({
    [HEALTH_SERVICES.server]: 'NOT_SERVING',
    [HEALTH_SERVICES.modelManagement]: 'SERVING',
    [HEALTH_SERVICES.ml]: 'NOT_SERVING',
    [HEALTH_SERVICES.vision]: 'NOT_SERVING',
    [HEALTH_SERVICES.text]: 'NOT_SERVING',
  });
  health.addToServer(server);
  const pkg = loadSync([...protoFiles], { includeDirs: [protoDir], keepCase: false });
  new ReflectionService(pkg).addToServer(server);
  // Control-plane services decode requests with grpc-js: malformed bytes become INVALID_ARGUMENT.
  const models = tolerantService(ModelManagementService, services.modelManagement);
  server.addService(models.definition, requireBearer(models.impl, token));
  server.addService(services.vision.definition, requireBearer(services.vision.impl, token));
  server.addService(services.text.definition, requireBearer(services.text.impl, token));
  const shm = tolerantService(SharedMemoryService, services.sharedMemory);
  server.addService(shm.definition, requireBearer(shm.impl, token));
  for (const e of services.extra ?? []) server.addService(e.definition, e.impl);
  const addr = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const creds = tls ? ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }], false) : ServerCredentials.createInsecure();
  const privateAddress = tls ? `unix:${tls.privateSocket}` : undefined;
  const { result: bound, servers } = await captureHttp2Servers(async () => {
    const p = await bindGrpcServer(server, addr, creds);
    if (privateAddress !== undefined) await bindGrpcServer(server, privateAddress, ServerCredentials.createInsecure());
    return p;
  });
  if (tls) await chmod(tls.privateSocket, 0o600);
  const intercepting = intercept !== undefined && interceptStreams(servers, intercept);
  health.setStatus(HEALTH_SERVICES.server, 'SERVING');
  return { server, health, port: bound, privateAddress, intercepting };
}
