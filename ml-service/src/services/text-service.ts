// The Text gRPC service of the child. Capabilities whose engines are not wired answer
// UNIMPLEMENTED naming the method.
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '@tabagent/common';
import { TextService } from '@tabagent/protos/v1/text';
import type { ModelRegistry } from '../runtime/model-registry.js';
import { withUnimplemented } from './unimplemented.js';

/** Builds the Text service implementation. */
export function textService(_registry: ModelRegistry, _log: Logger): UntypedServiceImplementation {
  return withUnimplemented(TextService, 'tabagent.v1.Text', {});
}
