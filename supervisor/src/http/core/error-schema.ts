// The JSON schema of OpenAI's error body as the HTTP surface sends it (see errors.ts), for route
// schemas and the OpenAPI document.

/** OpenAI's error body, as the HTTP surface sends it (a fresh object: fastify marks the schemas it compiles). */
export function errorBodySchema(): Record<string, unknown> {
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['message', 'type', 'param', 'code'],
        properties: {
          message: { type: 'string' },
          type: { type: 'string', description: 'invalid_request_error, authentication_error, not_found_error, rate_limit_error, server_error, ...' },
          param: { type: ['string', 'null'], description: 'The request field at fault' },
          code: { type: ['string', 'null'], description: 'The stable TA_ERR_* code' },
        },
      },
    },
  };
}
