// @tabagent/common: errors, logging, health and gRPC helpers shared by the supervisor and the child.
export { ERROR_CODES, resolveErrorCode, type ErrorCode, type ErrorCodeInfo } from './errors/codes.js';
export { TabagentError, invalidArgument, modelNotFound, type TabagentErrorOptions } from './errors/tabagent-error.js';
export { toGrpcStatus, fromServiceError, isServiceError, serviceErrorOf, ERROR_CODE_KEY, RETRY_AFTER_KEY } from './errors/grpc-status.js';
export { createLogger, prettyStream, resolveLogFormat, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogFormatChoice, type Logger, type LoggerOptions } from './logger.js';
export { HealthImplementation, HealthClient, HEALTH_SERVICES, type ServingStatus } from './health.js';
export { unary, serverStream, checkSecret, guardService, failStream, SECRET_KEY } from './grpc-handlers.js';
export { grpcServerOptions, grpcChannelOptions, grpcLinkChannelOptions, MAX_FRAME_BYTES as HTTP2_MAX_FRAME_BYTES, MAX_MESSAGE_BYTES } from './grpc-options.js';
export { MODELS_KEY, encodeRoles, decodeRoles, type ModelRoles } from './model-roles.js';
export { SURFACE_KEY, surfaceOf, type Surface } from './surface.js';
export { bindGrpcServer, widenHttp2ServerWindows } from './grpc-window.js';
export { SHM_KEY, encodeRegions, decodeRegions, type ResolvedRegion } from './shared-memory.js';
export { resolveFfmpeg, FFMPEG_ENV, type FfmpegBinary } from './ffmpeg.js';
export { formatListening, parseListening, type ListeningMessage } from './child-startup.js';
export {
  MODEL_IDS, VISION_TASKS, taskOfMethod, taskOfTrack, roleLabels,
  type VisionTaskSpec, type VisionTaskName, type VisionRole, type VisionModelKind, type RoleSpec, type TaskModelOptions,
} from './tasks.js';
export { tolerantService } from './grpc-tolerant.js';
