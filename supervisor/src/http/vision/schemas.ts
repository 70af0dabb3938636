// Route schemas of the vision routes: the options as query parameters (typed, so fastify coerces
// and checks them), the answer as the JSON schema of the gRPC response message (from vision.proto),
// and for the OpenAPI document the request bodies fastify cannot validate (raw image bytes,
// multipart) beside the JSON one.
import { errorBodySchema } from '../core/error-schema.js';
import { MAX_IMAGE_BYTES, RAW_IMAGE_TYPES } from './image-body.js';
import type { JsonSchema, VisionMessages } from './proto-json.js';
import { optionSchema, type VisionTask } from './tasks.js';

const BINARY: JsonSchema = { type: 'string', format: 'binary' };

function optionProperties(task: VisionTask): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(task.options).map(([name, kind]) => [name, optionSchema(kind)]));
}

/** The fastify schema of a task's route. */
export function routeSchema(task: VisionTask, messages: VisionMessages): Record<string, unknown> {
  const content: Record<string, unknown> = { 'application/json': { schema: messages.schema(task.response) } };
  if (task.name === 'segment') content['image/png'] = { schema: BINARY };
  return {
    summary: task.summary,
    description: `Runs gRPC Vision.${task.method} on one image; the answer is its ${task.response} in the proto3 JSON mapping.`,
    tags: ['vision'],
    querystring: { type: 'object', properties: optionProperties(task), additionalProperties: true },
    response: { 200: { description: `${task.response} as JSON`, content } },
  };
}

/** The schema shown in the OpenAPI document: the route's, with every accepted request body. */
export function routeDocs(task: VisionTask, schema: object | undefined): Record<string, unknown> {
  const options = optionProperties(task);
  const background: Record<string, JsonSchema> = task.name === 'segment' ? { background_image: BINARY } : {};
  const raw = Object.fromEntries(RAW_IMAGE_TYPES.map((t) => [t, { schema: { ...BINARY, description: `The image (JPEG or PNG, at most ${MAX_IMAGE_BYTES} bytes); options as query parameters` } }]));
  return {
    ...schema,
    body: {
      content: {
        ...raw,
        'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: BINARY, ...background, ...options } } },
        'application/json': {
          schema: {
            type: 'object', required: ['image'],
            properties: { image: { type: 'string', format: 'byte' }, ...(task.name === 'segment' ? { background_image: { type: 'string', format: 'byte' } } : {}), ...options },
          },
        },
      },
    },
  };
}

/** The schema of the catch-all route that names an unknown task (fresh: fastify marks schemas it compiles). */
export function unknownTaskSchema(): Record<string, unknown> {
  return {
    summary: 'Any other task: 404 naming the task parameter',
    tags: ['vision'],
    params: { type: 'object', properties: { task: { type: 'string' } }, required: ['task'] },
    response: { 404: { description: 'Unknown task', content: { 'application/json': { schema: errorBodySchema() } } } },
  };
}
