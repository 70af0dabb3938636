// The registry of stable error codes (like fastify's FST_ERR_*). Every error the project raises
// carries one of these codes; `grpc-status.ts` maps them to gRPC status codes in one place.
import { status } from '@grpc/grpc-js';

/** How an error code behaves on the wire and in retry logic. */
export interface ErrorCodeInfo {
  /** gRPC status sent to clients. */
  readonly grpc: status;
  /** One-line description for docs and logs. */
  readonly description: string;
  /** Whether the supervisor may retry the call on a new child (only for child-process failures). */
  readonly retryable?: boolean;
}

const registry = {
  TA_ERR_INTERNAL: { grpc: status.INTERNAL, description: 'Unexpected internal error' },
  TA_ERR_INVALID_ARGUMENT: { grpc: status.INVALID_ARGUMENT, description: 'A request field is invalid' },
  TA_ERR_UNIMPLEMENTED: { grpc: status.UNIMPLEMENTED, description: 'The capability is not available' },
  TA_ERR_MODEL_NOT_FOUND: { grpc: status.NOT_FOUND, description: 'Unknown model id' },
  TA_ERR_MODEL_NOT_LOADED: { grpc: status.FAILED_PRECONDITION, description: 'The model is not loaded' },
  TA_ERR_MODEL_LOAD_FAILED: { grpc: status.FAILED_PRECONDITION, description: 'The model failed to load' },
  TA_ERR_DATA_LOSS: { grpc: status.DATA_LOSS, description: 'A file failed its checksum' },
  TA_ERR_PERMISSION_DENIED: { grpc: status.PERMISSION_DENIED, description: 'Access refused' },
  TA_ERR_UNAUTHENTICATED: { grpc: status.UNAUTHENTICATED, description: 'Missing or wrong credentials' },
  TA_ERR_UNSUPPORTED_OP: { grpc: status.FAILED_PRECONDITION, description: 'A model uses an op the converter cannot convert' },
  TA_ERR_RESOURCE_EXHAUSTED: { grpc: status.RESOURCE_EXHAUSTED, description: 'A queue or memory budget is full' },
  TA_ERR_CHILD_UNAVAILABLE: { grpc: status.UNAVAILABLE, description: 'The ML process is not ready (starting or restarting)', retryable: true },
  TA_ERR_CHILD_FAILED: { grpc: status.UNAVAILABLE, description: 'The ML process crashed repeatedly and is in FAILED state' },
  TA_ERR_DEADLINE_EXCEEDED: { grpc: status.DEADLINE_EXCEEDED, description: 'The deadline passed' },
  TA_ERR_CANCELLED: { grpc: status.CANCELLED, description: 'The caller cancelled' },
  TA_ERR_SOURCE_UNAVAILABLE: { grpc: status.UNAVAILABLE, description: 'A model source (registry, hub, URL) could not be reached' },
  TA_ERR_FAILED_PRECONDITION: { grpc: status.FAILED_PRECONDITION, description: 'The operation needs something that is missing' },
  TA_ERR_SHUTTING_DOWN: { grpc: status.UNAVAILABLE, description: 'The server is shutting down' },
  TA_ERR_REGION_NOT_FOUND: { grpc: status.NOT_FOUND, description: 'Unknown shared-memory region or key' },
  TA_ERR_ALREADY_EXISTS: { grpc: status.ALREADY_EXISTS, description: 'The name is already registered' },
  TA_ERR_CACHE_FULL: { grpc: status.RESOURCE_EXHAUSTED, description: "The model cache's disk is full (ENOSPC/EDQUOT)" },
  TA_ERR_CACHE_READ_ONLY: { grpc: status.FAILED_PRECONDITION, description: 'The model cache folder is on a read-only file system' },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A stable error code. */
export type ErrorCode = keyof typeof registry;

/**
 * Codes used by self-contained modules (converters, store, pipelines) that do not import this
 * package, mapped onto registry codes.
 */
const aliases: Readonly<Record<string, ErrorCode>> = {
  TFJS_UNSUPPORTED_OP: 'TA_ERR_UNSUPPORTED_OP',
  STORE_NOT_FOUND: 'TA_ERR_MODEL_NOT_FOUND',
  STORE_DATA_LOSS: 'TA_ERR_DATA_LOSS',
  STORE_PERMISSION_DENIED: 'TA_ERR_PERMISSION_DENIED',
  STORE_INVALID_CATALOG: 'TA_ERR_INVALID_ARGUMENT',
  STORE_UNAVAILABLE: 'TA_ERR_SOURCE_UNAVAILABLE',
  STORE_FAILED_PRECONDITION: 'TA_ERR_FAILED_PRECONDITION',
  STORE_CANCELLED: 'TA_ERR_CANCELLED',
  STORE_DISK_FULL: 'TA_ERR_CACHE_FULL',
  STORE_READ_ONLY: 'TA_ERR_CACHE_READ_ONLY',
  TEXT_MODEL_LOAD_FAILED: 'TA_ERR_MODEL_LOAD_FAILED',
  TEXT_MODEL_DISPOSED: 'TA_ERR_MODEL_NOT_LOADED',
  LLAMA2C_INVALID_FORMAT: 'TA_ERR_FAILED_PRECONDITION',
  LLAMA2C_UNSUPPORTED: 'TA_ERR_FAILED_PRECONDITION',
  LLAMA2C_MISSING_FILE: 'TA_ERR_FAILED_PRECONDITION',
  VISION_INVALID_ARGUMENT: 'TA_ERR_INVALID_ARGUMENT',
  VISION_NOT_FOUND: 'TA_ERR_REGION_NOT_FOUND',
  VISION_MODEL_MISMATCH: 'TA_ERR_MODEL_LOAD_FAILED',
  VISION_DISPOSED: 'TA_ERR_MODEL_NOT_LOADED',
  VISION_WORKER_FAILED: 'TA_ERR_INTERNAL',
  TFJS_INVALID_MODEL: 'TA_ERR_FAILED_PRECONDITION',
  ONNX_INVALID_MODEL: 'TA_ERR_FAILED_PRECONDITION',
  ONNX_UNSUPPORTED: 'TA_ERR_FAILED_PRECONDITION',
  TEXT_INVALID_ARGUMENT: 'TA_ERR_INVALID_ARGUMENT',
  EMBED_INVALID_ARGUMENT: 'TA_ERR_INVALID_ARGUMENT',
  EMBED_MODEL_LOAD_FAILED: 'TA_ERR_MODEL_LOAD_FAILED',
  SPEECH_INVALID_ARGUMENT: 'TA_ERR_INVALID_ARGUMENT',
  SPEECH_MODEL_LOAD_FAILED: 'TA_ERR_MODEL_LOAD_FAILED',
};

/** The full registry, frozen. */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeInfo>> = Object.freeze(registry);

/** Resolves a code string (registry code or alias) to a registry code, or undefined. */
export function resolveErrorCode(code: unknown): ErrorCode | undefined {
  if (typeof code !== 'string') return undefined;
  if (Object.hasOwn(registry, code)) return code as ErrorCode;
  return aliases[code];
}
