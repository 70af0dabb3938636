// @tabagent/converters: model converters run once at pull time. TFJS graph models become ONNX
// graphs, llama2.c checkpoints become transformers.js Llama folders; both build their graphs with
// the one ONNX graph builder in onnx/. Each converter works from a model's files through a
// callback, and runs in the calling thread (`convertFiles`) or in a worker thread (the worker
// protocol below), so a caller's event loop never waits for a conversion.

export { CONVERTER_KINDS, type ConverterKind, type ConversionIo, type ConversionJob, type FileConverter } from './core/file-converter.js';
export { CONVERTERS, convertFiles, isConverterKind } from './registry/converters.js';
export type { ConverterLog } from './core/log.js';
export {
  conversionWorkerUrl, ownedBytes, type HostMessage, type SerializedError, type WorkerData, type WorkerMessage,
} from './worker/protocol.js';
export { deserializeError, serializeError } from './worker/errors.js';
export { TfjsConvertError, type TfjsConvertErrorCode } from './tfjs/core/errors.js';
export { Llama2cError, type Llama2cErrorCode } from './llama2c/errors.js';
export { OnnxRewriteError, type OnnxRewriteErrorCode } from './onnx/errors.js';
