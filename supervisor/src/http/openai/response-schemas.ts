// Response schemas of the OpenAI-compatible routes, for the OpenAPI document (the app serializes
// answers with JSON.stringify, so a schema documents an answer and never reshapes it).

type Schema = Record<string, unknown>;

const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema =>
  ({ type: 'object', properties, required, additionalProperties: true });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const nullable = (type: string): Schema => ({ type: [type, 'null'] });

const usage = (): Schema => obj({ prompt_tokens: int, completion_tokens: int, total_tokens: int });

const json = (description: string, schema: Schema): Schema => ({ description, content: { 'application/json': { schema } } });

const model = (): Schema => obj({ id: str, object: { type: 'string', enum: ['model'] }, created: int, owned_by: str, task: str }, ['id', 'object', 'created', 'owned_by']);

/** GET /v1/models. */
export function modelListResponse(): Schema {
  return { 200: json('The catalog', obj({ object: { type: 'string', enum: ['list'] }, data: { type: 'array', items: model() } })) };
}

/** GET /v1/models/{id}. */
export function modelResponse(): Schema {
  return { 200: json('One catalog model', model()) };
}

/** POST /v1/chat/completions and /v1/completions: one object, or Server-Sent Events with `stream: true`. */
export function generationResponse(kind: 'chat' | 'text'): Schema {
  const choice = kind === 'chat'
    ? obj({ index: int, message: obj({ role: str, content: nullable('string'), refusal: nullable('string') }, ['role', 'content']), logprobs: nullable('object'), finish_reason: { type: 'string', enum: ['stop', 'length'] } })
    : obj({ index: int, text: str, logprobs: nullable('object'), finish_reason: { type: 'string', enum: ['stop', 'length'] } });
  const object = kind === 'chat' ? 'chat.completion' : 'text_completion';
  const whole = obj({ id: str, object: { type: 'string', enum: [object] }, created: int, model: str, choices: { type: 'array', items: choice }, usage: usage() });
  const events = { type: 'string', description: `Server-Sent Events: "data: <${kind === 'chat' ? 'chat.completion.chunk' : 'text_completion'} JSON>" lines, the last chunk with usage when stream_options.include_usage, then "data: [DONE]"` };
  return { 200: { description: `The ${object}, or with stream: true its chunks as Server-Sent Events`, content: { 'application/json': { schema: whole }, 'text/event-stream': { schema: events } } } };
}

/** POST /v1/embeddings. */
export function embeddingsResponse(): Schema {
  const embedding = obj({
    object: { type: 'string', enum: ['embedding'] }, index: int,
    embedding: { oneOf: [{ type: 'array', items: { type: 'number' } }, { type: 'string', description: 'base64 of little-endian float32 values (encoding_format: base64)' }] },
  });
  return { 200: json('The embeddings, in input order', obj({ object: { type: 'string', enum: ['list'] }, data: { type: 'array', items: embedding }, model: str, usage: obj({ prompt_tokens: int, total_tokens: int }) })) };
}
