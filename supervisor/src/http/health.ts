// Liveness (/healthz: the supervisor answers) and readiness (/readyz: the ML child is SERVING and
// the preloaded models are loaded); both stay open when auth is on.
import type { FastifyInstance } from 'fastify';

/** What readiness looks at. */
export interface Readiness {
  /** Whether the ML child is ready. */
  childReady(): boolean;
  /** Ids of the models loaded now. */
  loadedModels(): Promise<readonly string[]>;
  /** Models that must be loaded for readiness. */
  preload: readonly string[];
}

/** Paths served without a token. */
export const OPEN_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

/** Registers /healthz and /readyz. */
export function healthRoutes(app: FastifyInstance, r: Readiness): void {
  const schema = { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } };
  app.get('/healthz', { schema: { ...schema } }, async () => ({ status: 'ok' }));
  const ready = { type: 'object', properties: { status: { type: 'string', enum: ['ready', 'not ready'] }, child: { type: 'string' }, missing: { type: 'array', items: { type: 'string' } } } };
  app.get('/readyz', { schema: { response: { 200: ready, 503: ready } } }, async (_req, reply) => {
    const loaded = r.childReady() ? new Set(await r.loadedModels().catch(() => [])) : new Set<string>();
    const missing = r.preload.filter((id) => !loaded.has(id));
    const ready = r.childReady() && missing.length === 0;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', child: r.childReady() ? 'SERVING' : 'NOT_SERVING', missing });
  });
}
