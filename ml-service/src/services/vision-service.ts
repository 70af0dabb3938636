// The Vision gRPC service of the child. Capabilities whose pipelines are not wired answer
// UNIMPLEMENTED naming the method.
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '@tabagent/common';
import { VisionService } from '@tabagent/protos/v1/vision';
import type { ModelRegistry } from '../runtime/model-registry.js';
import { withUnimplemented } from './unimplemented.js';

/** Builds the Vision service implementation. */
export function visionService(_registry: ModelRegistry, _log: Logger): UntypedServiceImplementation {
  return withUnimplemented(VisionService, 'tabagent.v1.Vision', {});
}
