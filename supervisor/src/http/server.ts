// The HTTP listener: fastify with request ids (also sent back as x-request-id), one debug log line
// per request, bearer auth outside the health paths, OpenAI-shaped errors, and the route modules.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { TabagentError, type Logger } from '@tabagent/common';
import { toHttpError } from './core/errors.js';
import { healthRoutes, OPEN_PATHS, type Readiness } from './health.js';
import type { StreamInvoker, UnaryInvoker } from './core/in-process.js';
import { LoopbackClients } from './core/loopback.js';
import { chatRoutes } from './openai/chat.js';
import { embeddingRoutes } from './openai/embeddings.js';
import { modelRoutes } from './openai/models.js';
import { openApiRoutes } from './openapi.js';
import { visionRoutes } from './vision/routes.js';
import { transcriptionRoutes } from './openai/transcriptions.js';
import type { Metrics } from '../metrics/metrics.js';

/** Options of the HTTP server. */
export interface HttpOptions {
  host: string;
  port: number;
  authToken: string;
  /** Where the public gRPC API listens (the routes call it on loopback). */
  grpcHost: string;
  grpcPort: number;
  /** A plain-text address of the same gRPC server for the routes (its private socket when it uses TLS). */
  grpcPrivateAddress?: string;
  /** The public Text service's methods, called in process (no loopback hop). */
  text: { readonly invoke: UnaryInvoker; readonly stream: StreamInvoker };
  /** The public Vision service's unary methods, called in process (no loopback hop). */
  readonly vision: UnaryInvoker;
  /** Serve HTTPS with this certificate and key. */
  tls?: { cert: Buffer; key: Buffer };
  readiness: Readiness;
  /** The canonical id of a catalog id or alias (undefined for unknown names, which gRPC refuses). */
  canonicalModel?: (name: string) => string | undefined;
  metrics: Metrics;
  log: Logger;
}

/** A listening HTTP server. */
export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

function tokenOk(header: string | undefined, token: string): boolean {
  const got = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Builds, registers and starts the HTTP server; logs "http listening" with the bound port. */
export async function startHttpServer(o: HttpOptions): Promise<HttpServer> {
  const log = o.log.child({ component: 'http' });
  const options = {
    loggerInstance: log as unknown as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 64 * 1024 * 1024,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    // Refusals fastify makes before routing (a URL that does not decode, e.g. "%ff") in OpenAI's shape too.
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      const e = toHttpError(err);
      void reply.code(e.status).headers(e.headers).send(e.body);
    },
  };
  // Routes only see the request and reply, the same over HTTP and HTTPS.
  const app = (o.tls ? Fastify({ ...options, https: { cert: o.tls.cert, key: o.tls.key } }) : Fastify(options)) as unknown as FastifyInstance;
  // Answers are serialized as they are: route response schemas document them (GET /openapi.json).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Bodies are JSON, multipart or (vision) images: plain text is 415, not a string a body schema then refuses.
  app.removeContentTypeParser('text/plain');
  const lb = new LoopbackClients(o.grpcHost, o.grpcPort, o.authToken, o.grpcPrivateAddress);
  // Every route, as "METHOD /url" (fastify's implicit HEAD routes aside), for the listening log line.
  const routes: string[] = [];
  let closing = false;
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push(`${m} ${r.url}`);
  });
  await openApiRoutes(app);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // 'close' fires for every answer, streamed (hijacked) ones included.
    const started = process.hrtime.bigint();
    reply.raw.once('close', () => {
      const body = req.body as { model?: unknown } | undefined;
      const code = reply.raw.statusCode;
      o.metrics.request({
        surface: 'http', method: `${req.method} ${req.routeOptions.url ?? '(no route)'}`, code,
        // An unknown model is not kept as a label (any string could be sent).
        model: typeof body?.model === 'string' && code !== 404 ? body.model : '',
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
      // Closing waits for every connection: one kept alive after its last answer would hold it for
      // the keep-alive timeout (72 s), so while closing, a connection ends with its answer.
      if (closing) req.raw.socket?.end();
    });
    if (o.authToken && !OPEN_PATHS.has(req.url.split('?')[0] ?? '') && !tokenOk(req.headers.authorization, o.authToken)) {
      throw new TabagentError('TA_ERR_UNAUTHENTICATED', 'missing or wrong bearer token in the Authorization header');
    }
  });
  // A body's `model` alias becomes the canonical id once, so answers and metrics name the id.
  app.addHook('preHandler', async (req) => {
    const body = req.body as { model?: unknown } | undefined;
    if (typeof body === 'object' && body !== null && typeof body.model === 'string') body.model = o.canonicalModel?.(body.model) ?? body.model;
  });
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug({ reqId: req.id, method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'http request');
  });
  app.setErrorHandler((err, req, reply) => {
    const e = toHttpError(err);
    // A body refused before it was all read (a multipart part refused mid-way, a body over the limit)
    // would otherwise stay unread and stall the next request on a kept-alive connection: close it.
    if (!req.raw.complete) void reply.header('connection', 'close');
    if (e.status >= 500) req.log.error({ reqId: req.id, err: e.body.error.message }, 'http request failed');
    else req.log.warn({ reqId: req.id, status: e.status, code: e.body.error.code, err: e.body.error.message }, 'http request refused');
    return reply.code(e.status).headers(e.headers).send(e.body);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { message: `Invalid URL (${req.method} ${req.url})`, type: 'invalid_request_error', param: null, code: null } }));
  healthRoutes(app, o.readiness);
  modelRoutes(app, lb);
  chatRoutes(app, o.text.stream);
  app.get('/metrics', { schema: { response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } } } }, async (_req, reply) => {
    const m = await o.metrics.expose();
    return reply.type(m.contentType).send(m.text);
  });
  embeddingRoutes(app, o.text.invoke);
  await visionRoutes(app, o.vision);
  await transcriptionRoutes(app, o.text.invoke);
  await app.listen({ host: o.host, port: o.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : o.port;
  log.info({ host: o.host, port, routes, tls: o.tls !== undefined }, 'http listening');
  return {
    port,
    close: async () => {
      closing = true;
      await app.close();
      lb.close();
    },
  };
}
