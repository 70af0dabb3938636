// Property-based bad input against the HTTP API of a live tabagent-server (fast-check, bounded
// runs), over every route: random and truncated JSON, wrong field types, NaN/Infinity/negative/huge
// numbers as JSON numbers and strings, unknown and path-like model ids, invalid UTF-8 and 1 MB
// prompts, corrupt and truncated JPEG/PNG/WAV bodies, wrong content types, multipart bodies with
// missing, repeated or cut parts, bodies over the limit, traversal in URLs and tokens. Every answer
// is a success or a 4xx in OpenAI's error shape with a stable code, naming the field at fault; after
// each batch /readyz is 200, both processes are SERVING and the ML child was not restarted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { startServer, type ServerUnderTest } from '../support/server-process.js';
import {
  BAD_JSON_VALUES, BAD_STRINGS, EMBEDDER, EMBEDDING_FIELDS, FIST_PNG, GENERATION_FIELDS, GET_ROUTES, LLM, PATH_LIKE, PORTRAIT, POST_ROUTES, TASKS,
  TRANSCRIPTION_FIELDS, TRANSCRIPTION_PARTS, TRAVERSAL_PATHS, VISION_OPTIONS, VISION_PARTS, WAV, WHISPER, WRONG_TYPES, generationBody, withField,
} from './fuzz-http-cases.js';
import { RawHttp, assertAnswer, assertHttpServing, damage, multipart, rssMiB, type Answer, type Part } from './fuzz-http-support.js';

const TOKEN = 'fuzz-http-token';
const JSON_TYPE = { 'content-type': 'application/json' };
const RUNS = (numRuns: number): { numRuns: number; endOnFailure: true } => ({ numRuns, endOnFailure: true });
const ROUTE = fc.constantFrom(...POST_ROUTES);
const TASK = fc.constantFrom(...TASKS);
const GEN_ROUTE = fc.constantFrom('/v1/chat/completions', '/v1/completions');

describe('fuzzing the HTTP API', () => {
  let server: ServerUnderTest;
  let http: RawHttp;
  let childPid: number;
  const json = (path: string, body: string | Buffer, timeoutMs?: number): Promise<Answer> => http.send({ path, headers: JSON_TYPE, body, ...(timeoutMs ? { timeoutMs } : {}) });
  const form = (path: string, parts: readonly Part[]): Promise<Answer> => {
    const m = multipart(parts);
    return http.send({ path, headers: { 'content-type': m.contentType }, body: m.body });
  };

  before(async () => {
    // Whisper runs on a worker thread, but on a loaded 2-core machine a starved child can still miss
    // health checks for seconds; the hang watchdog (5 s by default) must not mistake that for a
    // hang here. A crash still changes the pid.
    server = await startServer({ args: ['--mode', 'all', '--keep-alive', '-1', '--auth-token', TOKEN, '--hang-timeout-ms', '30000'] });
    http = new RawHttp(server.httpPort!, TOKEN);
    const [pid] = server.childPids();
    assert.ok(pid !== undefined);
    childPid = pid;
  });
  after(async () => {
    http?.close();
    if (server) await server.stop();
  });

  it('regressions: the 500s and the stalled connection the fuzzing found', async () => {
    // Numbers past what the gRPC fields hold failed the loopback call's encoding (500).
    for (const [field, raw] of [['max_tokens', '99999999999'], ['seed', '1e300'], ['num_ctx', '1e12'], ['seed', '"-Infinity"'], ['max_tokens', '"Infinity"'], ['seed', '18446744073709551615']]) {
      assertAnswer(await json('/v1/completions', generationBody('/v1/completions', field!, raw!)), `${field}=${raw}`, { statuses: [400], param: field! });
    }
    // Multipart bodies the parser cannot read were 500s; too many files a 413 naming nothing.
    for (const route of ['/v1/vision/faces', '/v1/audio/transcriptions']) {
      assertAnswer(await http.send({ path: route, headers: { 'content-type': 'multipart/form-data' }, body: 'x' }), `${route} without a boundary`, { statuses: [400], param: 'body' });
      const cut = multipart(TRANSCRIPTION_PARTS.slice(0, 1));
      assertAnswer(await http.send({ path: route, headers: { 'content-type': cut.contentType }, body: cut.body.subarray(0, 200) }), `${route} cut short`, { statuses: [400], param: 'body' });
    }
    const file = VISION_PARTS[0]!;
    assertAnswer(await form('/v1/vision/segment', [file, VISION_PARTS[1]!, file]), 'three files', { statuses: [400], param: 'file' });
    assertAnswer(await form('/v1/audio/transcriptions', [TRANSCRIPTION_PARTS[0]!, TRANSCRIPTION_PARTS[0]!, TRANSCRIPTION_PARTS[1]!]), 'two audio files', { statuses: [400], param: 'file' });
    // A refusal before the rest of the body was read left the kept-alive connection stalled for 72 s.
    for (const parts of [[VISION_PARTS[5]!, VISION_PARTS[5]!, file], [file, VISION_PARTS[1]!, file]]) {
      assertAnswer(await form('/v1/vision/faces', parts), 'refused mid-body', { statuses: [400] });
      assert.equal((await http.send({ path: '/healthz', timeoutMs: 10_000 })).status, 200, 'the next request on the connection');
    }
    await assertHttpServing(server, http, childPid);
  });

  it('random and truncated JSON bodies on every POST route are 4xx, a cut body always 400', async () => {
    await fc.assert(fc.asyncProperty(ROUTE, fc.uint8Array({ maxLength: 200 }), async (route, bytes) => {
      assertAnswer(await json(route, Buffer.from(bytes)), `${route} bytes ${Buffer.from(bytes).toString('hex')}`);
    }), RUNS(60));
    await fc.assert(fc.asyncProperty(ROUTE, fc.json({ maxDepth: 3 }), async (route, text) => {
      assertAnswer(await json(route, text), `${route} JSON ${text}`);
    }), RUNS(60));
    const valid: Record<string, string> = {
      '/v1/chat/completions': generationBody('/v1/chat/completions', 'user', '"u"'), '/v1/completions': generationBody('/v1/completions', 'user', '"u"'),
      '/v1/embeddings': JSON.stringify({ model: EMBEDDER, input: ['a cat', 'a dog'] }), '/v1/vision/faces': JSON.stringify({ image: PORTRAIT.toString('base64'), max_faces: 1 }),
    };
    await fc.assert(fc.asyncProperty(fc.constantFrom(...Object.keys(valid)), fc.double({ min: 0, max: 1, noNaN: true }), async (route, at) => {
      const full = valid[route]!;
      const cut = Math.min(full.length - 1, Math.floor(full.length * at));
      assertAnswer(await json(route, full.slice(0, cut)), `${route} cut at ${cut}/${full.length}`, { statuses: [400] });
    }), RUNS(30));
    await assertHttpServing(server, http, childPid);
  });

  it('wrong field types and NaN/Infinity/negative/huge numbers are refused naming the field', async () => {
    const value = fc.constantFrom(...BAD_JSON_VALUES);
    await fc.assert(fc.asyncProperty(GEN_ROUTE, fc.constantFrom(...GENERATION_FIELDS), value, async (route, field, raw) => {
      // The gRPC refusal of a length names max_tokens, OpenAI's older name of max_completion_tokens.
      const param = field === 'max_completion_tokens' ? [field, 'max_tokens'] : field;
      assertAnswer(await json(route, generationBody(route, field, raw)), `${route} ${field}=${raw.slice(0, 40)}`, { param });
    }), RUNS(80));
    await fc.assert(fc.asyncProperty(fc.constantFrom(...EMBEDDING_FIELDS), value, async (field, raw) => {
      const base: Record<string, unknown> = { model: EMBEDDER, input: 'a cat' };
      delete base[field];
      assertAnswer(await json('/v1/embeddings', withField(base, field, raw)), `embeddings ${field}=${raw.slice(0, 40)}`, { param: field });
    }), RUNS(30));
    const vision = TASK.chain((task) => fc.tuple(fc.constant(task), fc.constantFrom(...VISION_OPTIONS[task], 'not_an_option')));
    await fc.assert(fc.asyncProperty(vision, value, async ([task, field], raw) => {
      const body = withField(field === 'image' ? {} : { image: PORTRAIT.toString('base64') }, field, raw);
      assertAnswer(await json(`/v1/vision/${task}`, body), `vision ${task} JSON ${field}=${raw.slice(0, 40)}`, { param: field });
    }), RUNS(30));
    await fc.assert(fc.asyncProperty(vision, fc.constantFrom(...BAD_STRINGS), async ([task, field], v) => {
      const a = await http.send({ path: `/v1/vision/${task}?${field}=${encodeURIComponent(v)}`, headers: { 'content-type': 'image/jpeg' }, body: PORTRAIT });
      assertAnswer(a, `vision ${task} ?${field}=${JSON.stringify(v)}`, { param: field });
    }), RUNS(30));
    const file = { name: 'file', filename: 'a.wav', type: 'audio/wav', data: WAV };
    await fc.assert(fc.asyncProperty(fc.constantFrom(...TRANSCRIPTION_FIELDS), fc.constantFrom(...BAD_STRINGS), async (field, v) => {
      const parts = [file, ...(field === 'model' ? [] : [{ name: 'model', data: WHISPER }]), { name: field, data: v }];
      assertAnswer(await form('/v1/audio/transcriptions', parts), `transcription ${field}=${JSON.stringify(v)}`, { param: field });
    }), RUNS(8));
    await assertHttpServing(server, http, childPid);
  });

  it('unknown and path-like model ids are 404, or 400 naming model, on every route, and never read a file', async () => {
    const id = fc.oneof(fc.constantFrom(...PATH_LIKE), fc.string({ minLength: 1, maxLength: 30 }));
    await fc.assert(fc.asyncProperty(id, async (model) => {
      const answers: Array<[string, Answer]> = [
        ['GET /v1/models/{id}', await http.send({ path: `/v1/models/${encodeURIComponent(model)}` })],
        ['chat', await json('/v1/chat/completions', JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 }))],
        ['completions', await json('/v1/completions', JSON.stringify({ model, prompt: 'Once', max_tokens: 2 }))],
        ['embeddings', await json('/v1/embeddings', JSON.stringify({ model, input: 'a cat' }))],
        ['vision', await http.send({ path: `/v1/vision/faces?model=${encodeURIComponent(model)}`, headers: { 'content-type': 'image/jpeg' }, body: PORTRAIT })],
        ['transcriptions', await form('/v1/audio/transcriptions', [TRANSCRIPTION_PARTS[0]!, { name: 'model', data: model }])],
      ];
      if (/^[\x21-\x7e]+$/.test(model) && !/[?#]/.test(model)) answers.push(['GET /v1/models/{raw id}', await http.send({ path: `/v1/models/${model}` })]);
      for (const [what, a] of answers) {
        // A GET's 400 is a URL that does not decode (no request field to name).
        assertAnswer(a, `${what} model ${JSON.stringify(model)}`, { statuses: [400, 404], ...(what.startsWith('GET') ? {} : { param: 'model' }) });
        assert.doesNotMatch(a.bytes.toString('latin1'), /root:.*:0:0:|\[fonts\]/, `${what} ${JSON.stringify(model)} answered a file`);
      }
    }), RUNS(20));
    await assertHttpServing(server, http, childPid);
  });

  it('prompts with invalid UTF-8 bytes, and 1 MB prompts', async () => {
    const text = (route: string): [string, string] => route.endsWith('/chat/completions')
      ? [`{"model":"${LLM}","max_tokens":2,"messages":[{"role":"user","content":"`, '"}]}'] : [`{"model":"${LLM}","max_tokens":2,"prompt":"`, '"}'];
    await fc.assert(fc.asyncProperty(fc.constantFrom('/v1/chat/completions', '/v1/completions', '/v1/embeddings'), fc.uint8Array({ minLength: 1, maxLength: 64 }), async (route, bytes) => {
      const [head, tail] = route === '/v1/embeddings' ? [`{"model":"${EMBEDDER}","input":"`, '"}'] : text(route);
      const a = await json(route, Buffer.concat([Buffer.from(head), bytes, Buffer.from(tail)]));
      const e = assertAnswer(a, `${route} with bytes ${Buffer.from(bytes).toString('hex')}`);
      if (e === undefined) assert.ok(JSON.parse(a.bytes.toString('utf8')), 'the answer is JSON');
    }), RUNS(30));
    const mb = 'a'.repeat(1 << 20);
    assertAnswer(await json('/v1/completions', JSON.stringify({ model: LLM, prompt: mb, max_tokens: 2 }), 120_000), '1 MB prompt', { statuses: [400], param: 'max_tokens' });
    // Streamed: refused before the first event, so still a plain 400.
    assertAnswer(await json('/v1/chat/completions', JSON.stringify({ model: LLM, messages: [{ role: 'user', content: mb }], max_tokens: 2, stream: true }), 120_000), '1 MB streamed chat', { statuses: [400], param: 'max_tokens' });
    assertAnswer(await json('/v1/embeddings', JSON.stringify({ model: EMBEDDER, input: 'a cat '.repeat(1 << 18) }), 120_000), '1 MB embedding input', { param: 'input' });
    assertAnswer(await form('/v1/audio/transcriptions', [...TRANSCRIPTION_PARTS.slice(0, 2), { name: 'prompt', data: mb }]), '1 MB transcription prompt', { statuses: [400], param: 'prompt' });
    await assertHttpServing(server, http, childPid);
  });

  it('corrupt and truncated JPEG, PNG and WAV bodies are refused naming the field that carried them', async () => {
    const hurt = fc.record({ png: fc.boolean(), cut: fc.double({ min: 0, max: 1, noNaN: true }), flips: fc.array(fc.nat(), { maxLength: 4 }) });
    const kind = fc.constantFrom('body', 'file', 'image', 'background_image');
    await fc.assert(fc.asyncProperty(fc.constantFrom('faces', 'mesh', 'hands', 'segment'), kind, hurt, async (task, via, d) => {
      const bytes = damage(d.png ? FIST_PNG : PORTRAIT, d.cut, d.flips);
      const type = d.png ? 'image/png' : 'image/jpeg';
      const path = `/v1/vision/${via === 'background_image' ? 'segment' : task}`;
      const a = via === 'body' ? await http.send({ path, headers: { 'content-type': type }, body: bytes })
        : via === 'image' ? await json(path, JSON.stringify({ image: bytes.toString('base64') }))
          : await form(path, via === 'file' ? [{ name: 'file', filename: 'x', type, data: bytes }]
            : [{ name: 'file', filename: 'x', type: 'image/jpeg', data: PORTRAIT }, { name: 'background_image', filename: 'y', type, data: bytes }]);
      assertAnswer(a, `${path} ${via} ${JSON.stringify(d)}`, { param: via });
    }), RUNS(30));
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 400 }), fc.array(fc.integer({ min: 0, max: 43 }), { maxLength: 3 }), async (cut, flips) => {
      const bytes = Buffer.from(WAV.subarray(0, cut));
      for (const f of flips) if (f < bytes.length) bytes[f] = bytes[f]! ^ 0xff;
      assertAnswer(await form('/v1/audio/transcriptions', [{ name: 'file', filename: 'a.wav', type: 'audio/wav', data: bytes }, TRANSCRIPTION_PARTS[1]!]), `WAV cut at ${cut}, flips ${flips.join(',')}`, { param: 'file' });
    }), RUNS(8));
    assertAnswer(await form('/v1/audio/transcriptions', [{ name: 'file', filename: 'a.jpg', data: PORTRAIT }, TRANSCRIPTION_PARTS[1]!]), 'a JPEG as audio', { statuses: [400], param: 'file' });
    await assertHttpServing(server, http, childPid);
  });

  it('wrong content types and malformed, incomplete or repeated multipart parts are 415 or 400, never 500', async () => {
    await fc.assert(fc.asyncProperty(ROUTE, fc.constantFrom(...WRONG_TYPES), fc.uint8Array({ maxLength: 100 }), async (route, type, bytes) => {
      assertAnswer(await http.send({ path: route, headers: { 'content-type': type }, body: Buffer.from(bytes) }), `${route} as ${type}`, { statuses: [400, 415] });
    }), RUNS(50));
    const pick = (pool: readonly Part[]): fc.Arbitrary<Part[]> => fc.array(fc.constantFrom(...pool), { maxLength: 4 });
    await fc.assert(fc.asyncProperty(pick(VISION_PARTS), async (parts) => {
      const names = parts.map((p) => p.name);
      const files = parts.filter((p) => p.filename !== undefined).length;
      // Every problem the parts have; the answer names one of them, or is a success when there is none.
      const problems = new Set<string>(names.filter((n, i) => names.indexOf(n) !== i));
      if (files > 2 || !names.includes('file')) problems.add('file');
      for (const n of ['image', 'bogus', 'background_image']) if (names.includes(n)) problems.add(n);
      const a = await form('/v1/vision/faces', parts);
      assertAnswer(a, `vision parts ${names.join(',')}`, problems.size === 0 ? { statuses: [200] } : { statuses: [400], param: [...problems] });
    }), RUNS(30));
    await fc.assert(fc.asyncProperty(pick(TRANSCRIPTION_PARTS), async (parts) => {
      const names = parts.map((p) => p.name);
      const problems = new Set<string>(names.filter((n, i) => names.indexOf(n) !== i));
      for (const n of ['file', 'model']) if (!names.includes(n)) problems.add(n);
      const a = await form('/v1/audio/transcriptions', parts);
      assertAnswer(a, `transcription parts ${names.join(',')}`, problems.size === 0 ? { statuses: [200] } : { statuses: [400], param: [...problems] });
    }), RUNS(10));
    await fc.assert(fc.asyncProperty(fc.boolean(), fc.double({ min: 0, max: 0.999, noNaN: true }), async (audio, at) => {
      const m = multipart(audio ? TRANSCRIPTION_PARTS.slice(0, 2) : VISION_PARTS.slice(0, 1));
      const path = audio ? '/v1/audio/transcriptions' : '/v1/vision/faces';
      const body = m.body.subarray(0, Math.floor(m.body.length * at));
      assertAnswer(await http.send({ path, headers: { 'content-type': m.contentType }, body }), `${path} multipart cut at ${body.length}/${m.body.length}`, { statuses: [400], param: ['body', 'file', 'model'] });
    }), RUNS(20));
    await assertHttpServing(server, http, childPid);
  });

  it('bodies over the limit are 413 in OpenAI\'s shape naming the field, without a memory spike', async () => {
    const before = rssMiB(server.pid);
    const over = Buffer.alloc(65 * 1024 * 1024, 0x61);
    for (const route of ['/v1/chat/completions', '/v1/completions', '/v1/embeddings']) {
      assertAnswer(await json(route, over), `${route} 65 MiB`, { statuses: [413], param: 'body' });
    }
    assertAnswer(await http.send({ path: '/v1/vision/faces', headers: { 'content-type': 'image/jpeg' }, body: over.subarray(0, 33 * 1024 * 1024) }), 'raw 33 MiB image', { statuses: [413], param: 'body' });
    assertAnswer(await json('/v1/vision/faces', over.subarray(0, 46 * 1024 * 1024)), '46 MiB JSON image', { statuses: [413], param: 'image' });
    assertAnswer(await form('/v1/vision/faces', [{ name: 'file', filename: 'x', type: 'image/jpeg', data: over.subarray(0, 33 * 1024 * 1024) }]), '33 MiB multipart image', { statuses: [413], param: 'file' });
    assertAnswer(await form('/v1/audio/transcriptions', [{ name: 'file', filename: 'a.wav', data: over.subarray(0, 26 * 1024 * 1024) }, TRANSCRIPTION_PARTS[1]!]), '26 MiB audio', { statuses: [413], param: 'file' });
    const grew = rssMiB(server.pid) - before;
    assert.ok(grew < 300, `the supervisor's RSS grew by ${grew.toFixed(0)} MiB on refused bodies`);
    await assertHttpServing(server, http, childPid);
  });

  it('traversal and junk in URLs, methods and tokens: 4xx, never a file, never a 500', async () => {
    for (const path of TRAVERSAL_PATHS) {
      for (const method of ['GET', 'POST']) {
        const a = await http.send({ method, path, ...(method === 'POST' ? { headers: JSON_TYPE, body: '{}' } : {}) });
        assertAnswer(a, `${method} ${path}`, { statuses: [400, 404] });
        assert.doesNotMatch(a.bytes.toString('latin1'), /root:.*:0:0:/, `${method} ${path} answered a file`);
      }
    }
    const query = fc.oneof(fc.string({ maxLength: 20 }).map(encodeURIComponent), fc.constantFrom('%zz', '%00', '../..', '%ff=%fe', 'a=1&a=2', '=', '&&'));
    await fc.assert(fc.asyncProperty(fc.constantFrom(...GET_ROUTES), query, async (route, q) => {
      assertAnswer(await http.send({ path: `${route}?${q}` }), `GET ${route}?${q}`, { statuses: [200, 400] });
    }), RUNS(30));
    await fc.assert(fc.asyncProperty(fc.constantFrom(...GET_ROUTES, ...POST_ROUTES), fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS'), async (route, method) => {
      assertAnswer(await http.send({ method, path: route }), `${method} ${route}`, { statuses: [404] });
    }), RUNS(20));
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s) && s.trim() !== `Bearer ${TOKEN}`), async (auth) => {
      const a = await http.send({ path: '/v1/models', headers: { authorization: auth } });
      const e = assertAnswer(a, `Authorization ${JSON.stringify(auth)}`, { statuses: [401] });
      assert.equal(e?.code, 'TA_ERR_UNAUTHENTICATED');
      assert.equal((await http.send({ path: '/healthz', headers: { authorization: auth } })).status, 200, '/healthz needs no token');
    }), RUNS(15));
    await assertHttpServing(server, http, childPid);
  });
});
