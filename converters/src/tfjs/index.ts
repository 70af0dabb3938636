// Public API of the TFJS graph-model → ONNX converter.

export { convertTfjsGraphModel, ONNX_OPSET, type ConvertOptions } from './convert.js';
export { describeModelIo, type ModelIo, type ModelIoEntry } from './io.js';
export { TfjsConvertError, type TfjsConvertErrorCode } from './core/errors.js';
export { weightPaths } from './core/model-json.js';
export { supportedOps } from './ops/registry.js';
export { tfjsFileConverter, TFJS_CONVERTER_VERSION } from './file-converter.js';
