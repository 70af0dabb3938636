// Property-based bad input against a live tabagent-server (fast-check, bounded runs): random and
// truncated protobuf bytes on every public method, inconsistent frames, NaN/negative options,
// corrupt images and audio, unknown and path-like model ids, invalid UTF-8 and 1 MB prompts,
// shared-memory references past a region's end, messages over the size limit. Every answer is a
// result or a client error with a stable code that names the field; after each batch both
// processes are SERVING and the ML child was not restarted.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { GenerateRequest, TranscribeRequest, AudioEncoding } from '@tabagent/protos/v1/text';
import { DetectFacesRequest, PixelFormat, type Frame } from '@tabagent/protos/v1/vision';
import { RegisterSharedMemoryRequest } from '@tabagent/protos/v1/shared_memory';
import { testData, testImage } from '../support/paths.js';
import { RawClient } from '../support/raw-client.js';
import { startServer, tempDir, type ServerUnderTest } from '../support/server-process.js';
import { assertClientOutcome, assertStillServing } from './fuzz-support.js';

const UNARY = [
  'Vision/DetectFaces', 'Vision/FaceMesh', 'Vision/Iris', 'Vision/Hands', 'Vision/Pose', 'Vision/Holistic', 'Vision/Segment', 'Vision/DetectObjects',
  'Text/Embed', 'Text/Transcribe',
  'ModelManagement/LoadModel', 'ModelManagement/UnloadModel', 'ModelManagement/GetModel', 'ModelManagement/ListModels', 'ModelManagement/GetRuntimeStatus',
  'SharedMemory/Register', 'SharedMemory/Unregister', 'SharedMemory/List',
].map((m) => `/tabagent.v1.${m}`);
const STREAMS = ['Text/Generate', 'Text/Chat', 'ModelManagement/PullModel'].map((m) => `/tabagent.v1.${m}`);
const DETECT = '/tabagent.v1.Vision/DetectFaces';
const STORIES = 'karpathy/stories260K';
/** Model ids a path-walking or confused client might send. */
const PATH_LIKE = ['../../etc/passwd', '/etc/passwd', '..%2F..%2Fetc%2Fpasswd', 'mediapipe/../../../etc/shadow', 'a\u0000b', 'C:\\Windows\\x', '%00', 'file:///etc/passwd', '~/.ssh/id_rsa'];
const RUNS = { numRuns: 20, endOnFailure: true } as const;

describe('fuzzing the public gRPC API', () => {
  let server: ServerUnderTest;
  let raw: RawClient;
  let childPid: number;
  const regionBytes = 4096;

  before(async () => {
    const shmDir = tempDir('tabagent-fuzz-shm-');
    writeFileSync(join(shmDir, 'cam'), Buffer.alloc(regionBytes, 7));
    // Whisper runs on a worker thread, but on a loaded 2-core machine a starved child can still miss
    // health checks for seconds; the hang watchdog (5 s by default) must not mistake that for a
    // hang here. A crash still changes the pid.
    server = await startServer({ args: ['--mode', 'all', '--shm-dir', shmDir, '--keep-alive', '-1', '--hang-timeout-ms', '30000'] });
    raw = new RawClient(server.address);
    const [pid] = server.childPids();
    assert.ok(pid !== undefined);
    childPid = pid;
  });
  after(async () => {
    raw?.close();
    if (server) await server.stop();
  });

  it('random bytes on every method get a result or a named client error', async () => {
    for (const path of UNARY) {
      await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        assertClientOutcome(await raw.unary(path, bytes), `${path} ${Buffer.from(bytes).toString('hex')}`);
      }), RUNS);
    }
    for (const path of STREAMS) {
      await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        assertClientOutcome(await raw.serverStream(path, bytes), `${path} ${Buffer.from(bytes).toString('hex')}`);
      }), RUNS);
    }
    await assertStillServing(server, childPid);
  });

  it('truncated valid requests are refused, never half-read', async () => {
    const full = DetectFacesRequest.encode(DetectFacesRequest.fromPartial({
      frame: { data: Buffer.alloc(8 * 8 * 3, 90), width: 8, height: 8, format: PixelFormat.PIXEL_FORMAT_RGB }, options: { maxFaces: 2, minScore: 0.4 },
    })).finish();
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: full.length - 1 }), async (cut) => {
      assertClientOutcome(await raw.unary(DETECT, full.subarray(0, cut)), `DetectFaces cut at ${cut}/${full.length}`);
    }), { numRuns: 40 });
    // An options sub-message of garbage on every vision method (the supervisor reads options to route).
    const vision = UNARY.filter((p) => p.includes('.Vision/'));
    await fc.assert(fc.asyncProperty(fc.constantFrom(...vision), fc.uint8Array({ minLength: 1, maxLength: 24 }), async (path, junk) => {
      const field = path.endsWith('/Holistic') ? 2 : 3;
      const body = Buffer.concat([Buffer.from([(field << 3) | 2, junk.length]), junk]);
      assertClientOutcome(await raw.unary(path, body), `${path} options ${Buffer.from(junk).toString('hex')}`);
    }), { numRuns: 60 });
    await assertStillServing(server, childPid);
  });

  it('frames whose sizes disagree, zero or huge dimensions, and NaN/negative options', async () => {
    const frame = fc.record({
      width: fc.oneof(fc.constantFrom(0, 1, 0xffffffff, 65536), fc.integer({ min: 0, max: 64 })),
      height: fc.oneof(fc.constantFrom(0, 1, 0xffffffff, 65536), fc.integer({ min: 0, max: 64 })),
      format: fc.integer({ min: 0, max: 7 }),
      stride: fc.constantFrom(0, 1, 3, 1 << 30),
      length: fc.integer({ min: 0, max: 4096 }),
    });
    const minScore = fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 2, 0.5, undefined);
    await fc.assert(fc.asyncProperty(frame, minScore, fc.integer({ min: 0, max: 0xffffffff }), async (f, score, maxFaces) => {
      const req = DetectFacesRequest.encode(DetectFacesRequest.fromPartial({
        frame: { data: Buffer.alloc(f.length, 128), width: f.width, height: f.height, format: f.format, stride: f.stride },
        options: { maxFaces, ...(score === undefined ? {} : { minScore: score }) },
      })).finish();
      const o = await raw.unary(DETECT, req);
      assertClientOutcome(o, `DetectFaces ${JSON.stringify({ ...f, score, maxFaces })}`);
      const consistent = frameIsConsistent(f);
      if (!consistent) assert.equal(o.code, status.INVALID_ARGUMENT, `inconsistent frame accepted: ${JSON.stringify(f)}`);
      else if (o.code === status.INVALID_ARGUMENT) assert.match(o.details, /^options\./, `a consistent frame refused: ${o.details}`);
    }), { numRuns: 60 });
    await assertStillServing(server, childPid);
  });

  it('corrupt and truncated JPEG, PNG and WAV files', async () => {
    const images = [readFileSync(testImage('portrait.jpg')), readFileSync(testImage('asl_fist_frame000.png'))];
    const damage = fc.record({ which: fc.integer({ min: 0, max: 1 }), cut: fc.double({ min: 0, max: 1, noNaN: true }), flips: fc.array(fc.nat(), { maxLength: 4 }) });
    await fc.assert(fc.asyncProperty(damage, async (d) => {
      const img = images[d.which]!;
      const bytes = Buffer.from(img.subarray(0, Math.max(1, Math.floor(img.length * d.cut))));
      for (const f of d.flips) bytes[f % bytes.length] = bytes[f % bytes.length]! ^ 0x5a;
      const frame: Partial<Frame> = { encoded: bytes };
      const o = await raw.unary(DETECT, DetectFacesRequest.encode(DetectFacesRequest.fromPartial({ frame })).finish());
      assertClientOutcome(o, `DetectFaces on damaged image ${JSON.stringify(d)}`);
      if (o.code !== status.OK) assert.match(o.details, /^frame/, o.details);
    }), { numRuns: 16 });
    const wav = readFileSync(testData('speech/quick-brown-fox.wav'));
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 200 }), fc.array(fc.integer({ min: 0, max: 43 }), { maxLength: 3 }), async (cut, flips) => {
      const bytes = Buffer.from(wav.subarray(0, cut));
      for (const f of flips) if (f < bytes.length) bytes[f] = bytes[f]! ^ 0xff;
      const req = TranscribeRequest.encode(TranscribeRequest.fromPartial({ audio: bytes, encoding: AudioEncoding.AUDIO_ENCODING_WAV })).finish();
      const o = await raw.unary('/tabagent.v1.Text/Transcribe', req, 120_000);
      assertClientOutcome(o, `Transcribe on a WAV cut at ${cut} with flips ${flips.join(',')}`);
      if (o.code !== status.OK) assert.match(o.details, /^audio/, o.details);
    }), { numRuns: 12 });
    await assertStillServing(server, childPid);
  });

  it('unknown and path-like model ids are NOT_FOUND or INVALID_ARGUMENT everywhere', async () => {
    const id = fc.oneof(fc.constantFrom(...PATH_LIKE), fc.string({ maxLength: 40 }).filter((s) => s.length > 0));
    await fc.assert(fc.asyncProperty(id, async (model) => {
      const str = (field: number, s: string): Buffer => {
        const b = Buffer.from(s);
        return Buffer.concat([Buffer.from([(field << 3) | 2, b.length]), b]);
      };
      for (const [path, body] of [
        ['/tabagent.v1.ModelManagement/LoadModel', str(1, model)], ['/tabagent.v1.ModelManagement/GetModel', str(1, model)],
        ['/tabagent.v1.ModelManagement/UnloadModel', str(1, model)], ['/tabagent.v1.Text/Embed', Buffer.concat([str(1, model), str(2, 'hi')])],
        [DETECT, Buffer.concat([str(1, ''), str(2, model)])],
      ] as const) {
        const o = await raw.unary(path, body);
        assertClientOutcome(o, `${path} model ${JSON.stringify(model)}`);
        if (path.endsWith('UnloadModel')) assert.notEqual(o.code, status.OK, `unloaded ${JSON.stringify(model)}`);
        else assert.ok(o.code === status.NOT_FOUND || o.code === status.INVALID_ARGUMENT, `${path} ${JSON.stringify(model)}: ${status[o.code]}`);
      }
      const pull = await raw.serverStream('/tabagent.v1.ModelManagement/PullModel', str(1, model));
      assert.ok(pull.code === status.NOT_FOUND || pull.code === status.INVALID_ARGUMENT, `PullModel ${JSON.stringify(model)}: ${status[pull.code]}`);
    }), { numRuns: 25 });
    await assertStillServing(server, childPid);
  });

  it('prompts with invalid UTF-8, and a 1 MB prompt', async () => {
    const generate = (prompt: Uint8Array): Buffer => {
      const head = GenerateRequest.encode(GenerateRequest.fromPartial({ model: STORIES, sampling: { maxNewTokens: 4 } })).finish();
      const len: number[] = [];
      for (let n = prompt.length; ; n >>>= 7) {
        if (n < 0x80) { len.push(n); break; }
        len.push((n & 0x7f) | 0x80);
      }
      return Buffer.concat([head, Buffer.from([0x12, ...len]), prompt]);
    };
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (bytes) => {
      const o = await raw.serverStream('/tabagent.v1.Text/Generate', generate(bytes), 60_000);
      assertClientOutcome(o, `Generate with prompt bytes ${Buffer.from(bytes).toString('hex')}`);
    }), { numRuns: 15 });
    const big = await raw.serverStream('/tabagent.v1.Text/Generate', generate(Buffer.alloc(1 << 20, 'a')), 120_000);
    assertClientOutcome(big, 'Generate with a 1 MB prompt');
    assert.notEqual(big.code, status.OK, 'a 1 MB prompt exceeds the context and must be refused');
    await assertStillServing(server, childPid);
  });

  it('shared-memory references past the region end are refused naming the field', async () => {
    // Registered here: the random-bytes batch may have sent Unregister with an empty name (drop all).
    await raw.unary('/tabagent.v1.SharedMemory/Unregister', Buffer.from([0x0a, 3, 0x63, 0x61, 0x6d]));
    const reg = await raw.unary('/tabagent.v1.SharedMemory/Register',
      RegisterSharedMemoryRequest.encode({ name: 'cam', key: '/cam', byteSize: regionBytes }).finish());
    assert.equal(reg.code, status.OK, reg.details);
    const ref = fc.record({ offset: fc.integer({ min: 0, max: 2 * regionBytes }), byteSize: fc.integer({ min: 0, max: 2 * regionBytes }) });
    await fc.assert(fc.asyncProperty(ref, async (r) => {
      const req = DetectFacesRequest.encode(DetectFacesRequest.fromPartial({
        frame: { width: 16, height: 16, format: PixelFormat.PIXEL_FORMAT_RGB, sharedMemory: { region: 'cam', offset: r.offset, byteSize: r.byteSize } },
      })).finish();
      const o = await raw.unary(DETECT, req);
      assertClientOutcome(o, `shared-memory ref ${JSON.stringify(r)}`);
      if (r.offset + r.byteSize > regionBytes) {
        assert.equal(o.code, status.INVALID_ARGUMENT, `past the end accepted: ${JSON.stringify(r)}: ${o.details}`);
        assert.match(o.details, /^frame\.shared_memory/, o.details);
      }
    }), { numRuns: 30 });
    await assertStillServing(server, childPid);
  });

  it('a message over the size limit is RESOURCE_EXHAUSTED without harm', async () => {
    const o = await raw.unary(DETECT, Buffer.alloc(65 * 1024 * 1024));
    assert.equal(o.code, status.RESOURCE_EXHAUSTED, `${status[o.code]} ${o.details}`);
    await assertStillServing(server, childPid);
  });
});

/**
 * The documented frame rule: a known format (1..5: RGB, BGR, RGBA, BGRA, GRAY), positive sizes, and
 * either no stride with exactly width × height × channels bytes, or a stride of at least
 * width × channels with enough bytes for every row (the last row may end at its last pixel).
 */
function frameIsConsistent(f: { width: number; height: number; format: number; stride: number; length: number }): boolean {
  const channels = [0, 3, 3, 4, 4, 1][f.format] ?? 0;
  if (f.width <= 0 || f.height <= 0 || channels === 0) return false;
  const rowBytes = f.width * channels;
  if (f.stride === 0) return f.length === rowBytes * f.height;
  return f.stride >= rowBytes && f.length >= f.stride * (f.height - 1) + rowBytes;
}
