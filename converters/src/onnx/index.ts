// Public surface of the ONNX graph builder shared by the converters.

export { GraphBuilder, OnnxType, type AttrValue, type Dim, type IoDecl, type ModelMeta } from './graph-builder.js';
