// Where the .proto sources live at run time (used for server reflection).
import { fileURLToPath } from 'node:url';

/** Absolute path of the folder that holds `tabagent/v1/*.proto`. */
export const protoDir: string = fileURLToPath(new URL('../', import.meta.url));

/** The contract's .proto files, relative to `protoDir`. */
export const protoFiles: readonly string[] = Object.freeze([
  'tabagent/v1/common.proto',
  'tabagent/v1/model_management.proto',
  'tabagent/v1/model_files.proto',
  'tabagent/v1/runtime.proto',
  'tabagent/v1/vision.proto',
  'tabagent/v1/text.proto',
  'tabagent/v1/shared_memory.proto',
]);
