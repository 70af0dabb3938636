// End-to-end: GET /openapi.json of a real tabagent-server (with --auth-token) is an OpenAPI 3.x
// document that describes every route the server registered (the list comes from the server's
// "http listening" log line, so a route added without a response schema fails here), and its schema
// of a vision answer holds for a real answer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { testImage } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const TOKEN = 'openapi-test-token';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; additionalProperties?: boolean | Schema; enum?: unknown[]; nullable?: boolean };
type Operation = { summary?: string; parameters?: Array<{ name: string; in: string }>; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }> };
type Doc = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { type: string; scheme: string }> } };

/** The OpenAPI path of a fastify route url (":id" → "{id}", "*" → "{*}"). */
const openApiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}').replace('*', '{*}');

/** Checks a JSON value against the subset of JSON schema the document uses; returns the first mismatch. */
function mismatch(v: unknown, s: Schema, path: string): string | undefined {
  const types = s.type === undefined ? [] : [s.type].flat();
  const typeOf = v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  if (types.length > 0 && !types.includes(typeOf) && !(typeOf === 'integer' && types.includes('number')) && !(v === null && s.nullable)) return `${path}: ${typeOf} is not ${types.join('|')}`;
  if (s.enum && !s.enum.includes(v)) return `${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`;
  if (Array.isArray(v)) return v.map((x, i) => (s.items ? mismatch(x, s.items, `${path}[${i}]`) : undefined)).find((m) => m !== undefined);
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  for (const r of s.required ?? []) if (!(r in o)) return `${path}.${r} is required`;
  for (const [k, x] of Object.entries(o)) {
    const p = s.properties?.[k];
    if (p) {
      const m = mismatch(x, p, `${path}.${k}`);
      if (m) return m;
    } else if (s.additionalProperties === false) return `${path}.${k} is not in the schema`;
    else if (typeof s.additionalProperties === 'object') {
      const m = mismatch(x, s.additionalProperties, `${path}.${k}`);
      if (m) return m;
    }
  }
  return undefined;
}

describe('GET /openapi.json', () => {
  let server: ServerUnderTest;
  let base: string;
  let doc: Doc;
  let routes: string[];
  const auth = { authorization: `Bearer ${TOKEN}` };

  before(async () => {
    server = await startServer({ args: ['--mode', 'all', '--auth-token', TOKEN] });
    base = `http://127.0.0.1:${server.httpPort}`;
    routes = (await server.waitForLog(/"msg":"http listening"/))['routes'] as string[];
    const res = await fetch(`${base}/openapi.json`, { headers: auth });
    assert.equal(res.status, 200);
    doc = await res.json() as Doc;
  });
  after(async () => {
    if (server) await server.stop();
  });

  it('is an OpenAPI 3.x document with bearer auth, behind the token like every non-health route', async () => {
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.equal(doc.info.title, 'tabagent');
    assert.deepEqual(doc.components.securitySchemes['bearer'], { type: 'http', scheme: 'bearer', description: 'Needed when the server runs with --auth-token' });
    const open = await fetch(`${base}/openapi.json`);
    assert.equal(open.status, 401);
  });

  it('describes every route the server registered, each with a documented answer, and nothing else', () => {
    assert.ok(routes.length >= 17, `only ${routes.length} routes logged: ${routes.join(', ')}`);
    for (const want of ['GET /v1/models', 'POST /v1/chat/completions', 'POST /v1/embeddings', 'GET /healthz', 'GET /metrics', 'GET /openapi.json', 'POST /v1/vision/segment']) {
      assert.ok(routes.includes(want), `${want} is not among the logged routes`);
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    assert.deepEqual(documented, routes.map((r) => { const [m, u] = r.split(' '); return `${m} ${openApiPath(u!)}`; }).sort());
    for (const r of routes) {
      const [method, url] = r.split(' ') as [string, string];
      const op = doc.paths[openApiPath(url)]![method.toLowerCase()]!;
      const answers = Object.entries(op.responses).filter(([code]) => code !== 'default');
      assert.ok(answers.length > 0, `${r}: no documented answer (a route without a response schema)`);
      for (const [code, a] of answers) {
        const schemas = Object.values(a.content ?? {}).map((c) => c.schema).filter((s) => s !== undefined);
        assert.ok(schemas.length > 0, `${r} ${code}: the answer has no schema`);
      }
      assert.ok(op.responses['default']?.content?.['application/json']?.schema?.properties?.['error'], `${r}: no error shape`);
    }
  });

  it('documents each vision route: every body type, its options as query parameters, JSON and PNG answers', () => {
    for (const task of ['faces', 'mesh', 'iris', 'hands', 'pose', 'holistic', 'segment']) {
      const op = doc.paths[`/v1/vision/${task}`]!['post']!;
      assert.deepEqual(Object.keys(op.requestBody!.content).sort(), ['application/json', 'application/octet-stream', 'image/jpeg', 'image/png', 'multipart/form-data']);
      assert.ok(op.requestBody!.content['multipart/form-data']!.schema.required?.includes('file'));
      assert.ok(op.responses['200']!.content!['application/json']!.schema!.properties, task);
    }
    const queries = (task: string): string[] => (doc.paths[`/v1/vision/${task}`]!['post']!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
    assert.deepEqual(queries('faces'), ['max_faces', 'min_score', 'model']);
    assert.deepEqual(queries('holistic'), ['complexity', 'refine_face_landmarks']);
    assert.ok(doc.paths['/v1/vision/segment']!['post']!.responses['200']!.content!['image/png']);
    assert.equal(doc.paths['/v1/vision/faces']!['post']!.responses['200']!.content!['image/png'], undefined);
  });

  it('the documented answer schemas hold for real answers of pose and faces; without the token a vision route is 401', async () => {
    for (const [task, image] of [['pose', 'pose.jpg'], ['faces', 'family_group.jpg']] as const) {
      const res = await fetch(`${base}/v1/vision/${task}`, { method: 'POST', body: readFileSync(testImage(image)), headers: { ...auth, 'content-type': 'image/jpeg' } });
      assert.equal(res.status, 200);
      const body = await res.json() as Record<string, unknown>;
      const schema = doc.paths[`/v1/vision/${task}`]!['post']!.responses['200']!.content!['application/json']!.schema!;
      assert.equal(mismatch(body, schema, '$'), undefined);
      assert.ok(Array.isArray(body[task === 'pose' ? 'poses' : 'faces']) && (body[task === 'pose' ? 'poses' : 'faces'] as unknown[]).length > 0);
      // The check can fail: an answer with a field the schema does not know is caught.
      assert.match(mismatch({ ...body, extra: 1 }, schema, '$') ?? '', /extra is not in the schema/);
    }
    const noToken = await fetch(`${base}/v1/vision/faces`, { method: 'POST', body: readFileSync(testImage('portrait.jpg')), headers: { 'content-type': 'image/jpeg' } });
    assert.equal(noToken.status, 401, 'vision routes are behind --auth-token');
    assert.equal(((await noToken.json()) as { error: { code: string } }).error.code, 'TA_ERR_UNAUTHENTICATED');
  });
});
