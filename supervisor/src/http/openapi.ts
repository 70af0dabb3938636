// GET /openapi.json: an OpenAPI 3 document generated (by @fastify/swagger) from the schemas of every
// route registered after it, with bearer auth declared and OpenAI's error shape as every
// operation's default answer. Registered first, so that it sees all routes.
import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { errorBodySchema } from './core/error-schema.js';

type Operations = Record<string, Record<string, { responses?: Record<string, unknown> }>>;

/** Registers the swagger generator and the /openapi.json route. */
export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'tabagent', version, description: 'OpenAI-compatible text API, vision over HTTP, health and metrics of tabagent-server.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Needed when the server runs with --auth-token' } } },
      security: [{ bearer: [] }],
    },
    transformObject: (doc) => {
      if (!('openapiObject' in doc)) return doc.swaggerObject;
      const { openapiObject } = doc;
      for (const ops of Object.values((openapiObject.paths ?? {}) as Operations)) {
        for (const op of Object.values(ops)) {
          op.responses ??= {};
          op.responses['default'] ??= { description: "An error in OpenAI's shape, with the TA_ERR_* code", content: { 'application/json': { schema: errorBodySchema() } } };
        }
      }
      return openapiObject;
    },
  });
  app.get('/openapi.json', {
    schema: { summary: 'This OpenAPI document', response: { 200: { description: 'OpenAPI 3 document', content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } } } },
  }, async () => app.swagger());
}
