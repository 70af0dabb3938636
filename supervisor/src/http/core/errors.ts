// OpenAI's error shape and the HTTP status of each stable TA_ERR_* code, in one place. The `param`
// of a refusal names the OpenAI request field at fault, also when the refusal comes from the gRPC
// side (whose messages start with the gRPC field, e.g. "sampling.temperature: ...").
import { ERROR_CODE_KEY, RETRY_AFTER_KEY, TabagentError, fromServiceError, isServiceError, resolveErrorCode, type ErrorCode } from '@tabagent/common';

/** HTTP status per error code. */
const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  TA_ERR_INTERNAL: 500,
  TA_ERR_INVALID_ARGUMENT: 400,
  TA_ERR_UNIMPLEMENTED: 501,
  TA_ERR_MODEL_NOT_FOUND: 404,
  TA_ERR_MODEL_NOT_LOADED: 409,
  TA_ERR_MODEL_LOAD_FAILED: 422,
  TA_ERR_DATA_LOSS: 500,
  TA_ERR_PERMISSION_DENIED: 403,
  TA_ERR_UNAUTHENTICATED: 401,
  TA_ERR_UNSUPPORTED_OP: 422,
  TA_ERR_RESOURCE_EXHAUSTED: 429,
  TA_ERR_CHILD_UNAVAILABLE: 503,
  TA_ERR_CHILD_FAILED: 503,
  TA_ERR_DEADLINE_EXCEEDED: 504,
  TA_ERR_CANCELLED: 499,
  TA_ERR_SOURCE_UNAVAILABLE: 503,
  TA_ERR_FAILED_PRECONDITION: 422,
  TA_ERR_SHUTTING_DOWN: 503,
  TA_ERR_REGION_NOT_FOUND: 404,
  TA_ERR_ALREADY_EXISTS: 409,
  TA_ERR_CACHE_FULL: 507,
  TA_ERR_CACHE_READ_ONLY: 507,
});

/** gRPC request fields whose OpenAI name differs (after "sampling." and any index are dropped). */
const OPENAI_PARAM: Readonly<Record<string, string>> = Object.freeze({
  max_new_tokens: 'max_tokens', maxNewTokens: 'max_tokens', top_p: 'top_p', topP: 'top_p', texts: 'input',
  temperature: 'temperature', seed: 'seed', stop: 'stop', messages: 'messages', prompt: 'prompt', model: 'model',
  json_schema: 'response_format', jsonSchema: 'response_format', context_size: 'num_ctx', contextSize: 'num_ctx',
  tools: 'tools', 'tools.choice': 'tool_choice',
  audio: 'file', language: 'language', encoding: 'file', sample_rate: 'file', sampleRate: 'file',
});

/** OpenAI's error `type` for a status. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** The body OpenAI clients parse. */
export interface ErrorBody { error: { message: string; type: string; param: string | null; code: string } }

/** An error ready to be sent: status, body and extra headers. */
export interface HttpError {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

/** A request field the HTTP surface refuses (400 naming the field). */
export function badParam(param: string, message: string): TabagentError {
  return new TabagentError('TA_ERR_INVALID_ARGUMENT', `${param}: ${message}`, { field: param });
}

/** A refusal with its own 4xx status (e.g. 413) that names the request field at fault. */
export function httpRefusal(status: number, param: string, message: string, code: ErrorCode = 'TA_ERR_INVALID_ARGUMENT'): Error {
  return Object.assign(new Error(message), { statusCode: status, param, taCode: code });
}

/** The OpenAI parameter a gRPC field path stands for ("sampling.stop[2]" → "stop"), or null. */
export function openAiParam(field: string): string | null {
  const path = field.replace(/^sampling\./, '');
  const head = path.split(/[.[]/)[0] ?? '';
  return OPENAI_PARAM[path] ?? OPENAI_PARAM[head] ?? null;
}

/** The field named at the start of a refusal's message ("field: problem"), as an OpenAI parameter. */
function paramOfMessage(message: string): string | null {
  const m = /^([\w.[\]]+): /.exec(message);
  return m?.[1] === undefined ? null : openAiParam(m[1]);
}

/** A fastify body validation error (ajv): its message and the property at fault. */
interface ValidationError { statusCode?: number; param?: string; taCode?: ErrorCode; validation?: Array<{ instancePath?: string; params?: { missingProperty?: string } }> }

function validationParam(err: ValidationError): string | null {
  const v = err.validation?.[0];
  if (v === undefined) return null;
  // The request field at the top of the path: {"response_format": {}} lacks "type" but is wrong in response_format.
  return v.instancePath?.split('/')[1] || v.params?.missingProperty || null;
}

/** Whether fastify refused a body over the size limit (the whole body is at fault). */
const status413 = (err: unknown): boolean => (err as { statusCode?: unknown } | null)?.statusCode === 413;

/** The 4xx status fastify put on an error it raised itself, if any. */
function clientStatus(err: unknown): number | undefined {
  if (err instanceof TabagentError || isServiceError(err)) return undefined;
  const s = (err as ValidationError | null)?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 500 ? s : undefined;
}

/** Converts anything thrown (a TabagentError, a gRPC status from the loopback call, a bug) to an HttpError. */
export function toHttpError(err: unknown): HttpError {
  let code: ErrorCode = 'TA_ERR_INTERNAL';
  let message = err instanceof Error ? err.message : String(err);
  let param: string | null = null;
  let retryAfterMs: number | undefined;
  if (isServiceError(err)) {
    code = fromServiceError(err).code;
    message = err.details || err.message;
    const raw = err.metadata?.get(RETRY_AFTER_KEY)[0];
    if (typeof raw === 'string') retryAfterMs = Number(raw);
    if (code === 'TA_ERR_INVALID_ARGUMENT') param = paramOfMessage(message);
  } else if (err instanceof TabagentError) {
    code = resolveErrorCode(err.code) ?? 'TA_ERR_INTERNAL';
    retryAfterMs = err.retryAfterMs;
    param = err.field ?? err.details['param'] ?? null;
  } else if (clientStatus(err) !== undefined) {
    // fastify's own refusals (body validation 400, malformed JSON 400, media type 415, size 413) and httpRefusal's.
    code = (err as ValidationError).taCode ?? 'TA_ERR_INVALID_ARGUMENT';
    param = (err as ValidationError).param ?? validationParam(err as ValidationError) ?? (status413(err) ? 'body' : null);
  } else {
    message = `internal error: ${message}`;
  }
  const status = clientStatus(err) ?? HTTP_STATUS[code];
  const headers: Record<string, string> = { [ERROR_CODE_KEY]: code };
  if (status === 429 || status === 503) headers['retry-after'] = String(Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000)));
  return { status, headers, body: { error: { message, type: errorType(status), param, code } } };
}
