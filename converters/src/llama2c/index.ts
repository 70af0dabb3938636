// Public surface of the llama2.c → transformers.js Llama converter.

export { convertLlama2c, LLAMA2C_CONVERTER_VERSION, LLAMA2C_OUTPUT_FILES, type Llama2cInput } from './convert.js';
export { llama2cFileConverter, llama2cGgufFileConverter, chooseLlama2cFiles, type Llama2cFileChoice } from './file-converter.js';
export { Llama2cError, type Llama2cErrorCode } from './errors.js';
export { parseHeader, type Llama2cConfig } from './header.js';
export { convertLlama2cToGguf, LLAMA2C_GGUF_CONVERTER_VERSION, LLAMA2C_GGUF_FILE, type Llama2cGgufInput } from './gguf-convert.js';
