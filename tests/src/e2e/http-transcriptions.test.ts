// End-to-end: POST /v1/audio/transcriptions of a real tabagent-server through the official openai
// SDK, on committed speech (tests/data/speech/quick-brown-fox.wav, 2.34 s) with Whisper tiny: json
// with the text of gRPC Transcribe, text, verbose_json segments ordered within the audio, SubRip and
// WebVTT syntax, and refusals as the SDK's typed errors naming the field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import OpenAI, { BadRequestError, NotFoundError, toFile } from 'openai';
import { AudioEncoding } from '@tabagent/protos/v1/text';
import { call, connect, type PublicClients } from '../support/clients.js';
import { testData } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const MODEL = 'openai/whisper-tiny';
const WORDS = ['hello', 'world', 'quick', 'fox'];

/** Times of "hh:mm:ss<sep>mmm --> hh:mm:ss<sep>mmm" cue lines, in seconds. */
function cueTimes(body: string, sep: ',' | '.'): Array<[number, number]> {
  const t = `(\\d{2}):(\\d{2}):(\\d{2})\\${sep}(\\d{3})`;
  const re = new RegExp(`^${t} --> ${t}$`, 'gm');
  const secs = (h: string, m: string, s: string, ms: string): number => Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
  return [...body.matchAll(re)].map((m) => [secs(m[1]!, m[2]!, m[3]!, m[4]!), secs(m[5]!, m[6]!, m[7]!, m[8]!)]);
}

/** Asserts times are ordered, non-overlapping and inside [0, duration]. */
function assertOrdered(times: ReadonlyArray<readonly [number, number]>, duration: number): void {
  assert.ok(times.length >= 1, 'at least one segment');
  let last = 0;
  for (const [start, end] of times) {
    assert.ok(start >= last - 1e-3 && end >= start && end <= duration + 1e-3, `segment ${start}-${end} after ${last} in ${duration} s`);
    last = end;
  }
}

const hasWords = (text: string): void => {
  for (const w of WORDS) assert.ok(text.toLowerCase().includes(w), `"${w}" missing from "${text}"`);
};

describe('POST /v1/audio/transcriptions through the openai SDK', () => {
  let server: ServerUnderTest;
  let grpc: PublicClients;
  let openai: OpenAI;
  const wav = readFileSync(testData('speech/quick-brown-fox.wav'));
  const duration = (wav.length - 44) / 2 / 22050;
  const file = (): Promise<File> => toFile(wav, 'quick-brown-fox.wav', { type: 'audio/wav' }) as Promise<File>;

  before(async () => {
    server = await startServer({ args: ['--mode', 'all'] });
    grpc = connect(server.address);
    openai = new OpenAI({ baseURL: `http://127.0.0.1:${server.httpPort}/v1`, apiKey: 'unused' });
    // The first call pulls and loads Whisper; the calls compared below are then warm.
    await openai.audio.transcriptions.create({ model: MODEL, file: await file(), language: 'en' });
  });
  after(async () => {
    grpc?.close();
    if (server) await server.stop();
  });

  it('answers json with the text of gRPC Transcribe, and text as plain text', async () => {
    const ref = await call(grpc.text, grpc.text.transcribe, {
      model: MODEL, audio: wav, encoding: AudioEncoding.AUDIO_ENCODING_UNSPECIFIED, sampleRate: 0, language: 'en', timestamps: false,
    }, { timeoutMs: 300_000 });
    hasWords(ref.text);
    const json = await openai.audio.transcriptions.create({ model: MODEL, file: await file(), language: 'en' });
    assert.equal(json.text, ref.text);
    const text = await openai.audio.transcriptions.create({ model: MODEL, file: await file(), language: 'en', response_format: 'text' });
    assert.equal(typeof text, 'string');
    assert.equal(text.trim(), ref.text);
  });

  it('answers verbose_json with the duration and ordered segments within the audio that make up the text', async () => {
    const v = await openai.audio.transcriptions.create({ model: MODEL, file: await file(), language: 'en', response_format: 'verbose_json' });
    assert.ok(Math.abs(v.duration - duration) < 1e-3, `duration ${v.duration}`);
    assert.equal(v.language, 'en');
    hasWords(v.text);
    const segments = v.segments ?? [];
    assertOrdered(segments.map((s) => [s.start, s.end] as const), v.duration);
    assert.deepEqual(segments.map((s) => s.id), segments.map((_, i) => i));
    assert.equal(segments.map((s) => s.text.trim()).join(' ').replace(/\s+/g, ' '), v.text.replace(/\s+/g, ' '));
    // The speech fills most of the recording: the segments reach past its middle.
    assert.ok(segments.at(-1)!.end > duration / 2, `last end ${segments.at(-1)!.end}`);
  });

  it('answers SubRip and WebVTT with numbered, well-formed cues inside the audio', async () => {
    const srt = await openai.audio.transcriptions.create({ model: MODEL, file: await file(), language: 'en', response_format: 'srt' });
    assert.equal(typeof srt, 'string');
    const blocks = srt.trim().split(/\n\n/);
    blocks.forEach((b, i) => assert.match(b, new RegExp(`^${i + 1}\\n\\d{2}:\\d{2}:\\d{2},\\d{3} --> \\d{2}:\\d{2}:\\d{2},\\d{3}\\n\\S.*$`, 's'), `cue ${i + 1}: ${b}`));
    assertOrdered(cueTimes(srt, ','), duration);
    hasWords(blocks.map((b) => b.split('\n').slice(2).join(' ')).join(' '));

    const vtt = await openai.audio.transcriptions.create({ model: MODEL, file: await file(), language: 'en', response_format: 'vtt' });
    assert.ok(vtt.startsWith('WEBVTT\n\n'), vtt.slice(0, 20));
    const times = cueTimes(vtt, '.');
    assert.equal(times.length, blocks.length);
    assert.deepEqual(times, cueTimes(srt, ','));
  });

  it('refuses a prompt, a bad response_format, non-audio bytes and an unknown model as typed SDK errors', async () => {
    const fail = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
    const prompt = await fail(openai.audio.transcriptions.create({ model: MODEL, file: await file(), prompt: 'Quick fox' }));
    assert.ok(prompt instanceof BadRequestError, String(prompt));
    assert.equal(prompt.param, 'prompt');
    const format = await fail(openai.audio.transcriptions.create({ model: MODEL, file: await file(), response_format: 'mp3' as 'json' }));
    assert.ok(format instanceof BadRequestError, String(format));
    assert.equal(format.param, 'response_format');
    const text = await fail(openai.audio.transcriptions.create({ model: MODEL, file: await toFile(Buffer.from('plainly a text file, not a recording\n'), 'a.txt') }));
    assert.ok(text instanceof BadRequestError, String(text));
    assert.equal(text.param, 'file');
    assert.match(text.message, /audio: is text/);
    const unknown = await fail(openai.audio.transcriptions.create({ model: 'nobody/no-such-model', file: await file() }));
    assert.ok(unknown instanceof NotFoundError, String(unknown));
    assert.equal(unknown.code, 'TA_ERR_MODEL_NOT_FOUND');
  });
});
