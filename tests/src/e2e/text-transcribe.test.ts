// End-to-end: Transcribe with Whisper tiny (q8, pulled from the npm registry) through a real
// tabagent-server, on committed speech (tests/data/speech, made once with espeak-ng): WAV at 22.05 kHz
// (resampled), raw s16le PCM with its rate, and INVALID_ARGUMENT naming `audio` for bytes that are not audio;
// Whisper runs on a worker thread, so the child's main thread spends little of a transcription's CPU.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { AudioEncoding, type TranscribeRequest, type TranscribeResponse } from '@tabagent/protos/v1/text';
import { call, connect, expectGrpcError, type PublicClients } from '../support/clients.js';
import { testData } from '../support/paths.js';
import { startServer, type ServerUnderTest } from '../support/server-process.js';

const MODEL = 'openai/whisper-tiny';

/** The PCM bytes and rate of a canonical 16-bit mono WAV. */
function wavPcm(wav: Buffer): { pcm: Buffer; rate: number } {
  const rate = wav.readUInt32LE(24);
  const data = wav.indexOf('data', 12, 'latin1');
  assert.ok(data > 0 && wav.readUInt16LE(22) === 1 && wav.readUInt16LE(34) === 16, 'the fixture is not a canonical 16-bit mono WAV');
  return { pcm: wav.subarray(data + 8), rate };
}

describe('Text.Transcribe through tabagent-server', () => {
  let server: ServerUnderTest;
  let clients: PublicClients;
  const wav = readFileSync(testData('speech/quick-brown-fox.wav'));
  const transcribe = (req: Partial<TranscribeRequest> & { timestamps?: boolean }): Promise<TranscribeResponse> =>
    call(clients.text, clients.text.transcribe, {
      model: MODEL, audio: Buffer.alloc(0), encoding: AudioEncoding.AUDIO_ENCODING_UNSPECIFIED, sampleRate: 0, language: 'en', timestamps: false, ...req,
    }, { timeoutMs: 300_000 });
  const assertPhrase = (text: string): void => {
    const words = text.toLowerCase();
    for (const w of ['hello', 'world', 'quick', 'fox']) assert.ok(words.includes(w), `"${w}" missing from transcript "${text}"`);
  };

  before(async () => {
    server = await startServer({ args: ['--mode', 'all'] });
    clients = connect(server.address);
  });
  after(async () => {
    clients?.close();
    if (server) await server.stop();
  });

  it('transcribes a 22.05 kHz WAV file (header parsed, resampled to 16 kHz)', async () => {
    const { pcm, rate } = wavPcm(wav);
    assert.equal(rate, 22050);
    const r = await transcribe({ audio: wav });
    assertPhrase(r.text);
    assert.ok(Math.abs(r.durationSeconds - pcm.length / 2 / rate) < 1e-6, `duration ${r.durationSeconds}`);
  });

  it('transcribes raw s16le PCM at the rate given in the request', async () => {
    const { pcm, rate } = wavPcm(wav);
    const r = await transcribe({ audio: pcm, encoding: AudioEncoding.AUDIO_ENCODING_PCM_S16LE, sampleRate: rate });
    assertPhrase(r.text);
  });

  it('rejects bytes that are not audio with INVALID_ARGUMENT naming audio', async () => {
    const text = await expectGrpcError(transcribe({ audio: Buffer.from('this is plainly a text file, not a recording of anything\n') }));
    assert.equal(text.code, status.INVALID_ARGUMENT);
    assert.match(text.details, /^audio: is text/);
    const jpeg = await expectGrpcError(transcribe({ audio: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]) }));
    assert.equal(jpeg.code, status.INVALID_ARGUMENT);
    assert.match(jpeg.details, /^audio: looks like a JPEG/);
    const notWav = await expectGrpcError(transcribe({ audio: Buffer.from([1, 2, 3, 4, 5, 6]), encoding: AudioEncoding.AUDIO_ENCODING_WAV }));
    assert.equal(notWav.code, status.INVALID_ARGUMENT);
    assert.match(notWav.details, /^audio: is not a RIFF\/WAVE file/);
    const odd = await expectGrpcError(transcribe({ audio: Buffer.from([1, 2, 3]), encoding: AudioEncoding.AUDIO_ENCODING_PCM_S16LE }));
    assert.match(odd.details, /^audio: s16le PCM must have an even number of bytes/);
  });

  it('computes off the ML child\'s main thread: its event loop spends a small share of the CPU a transcription costs', async () => {
    // 20 s of speech: the phrase repeated. CPU time, unlike wall time, does not depend on the load.
    const { pcm, rate } = wavPcm(wav);
    const audio = Buffer.concat(Array.from({ length: Math.ceil((20 * rate * 2) / pcm.length) }, () => pcm));
    const [child] = server.childPids();
    assert.ok(child !== undefined, 'no ML child');
    const before = { main: threadCpu(child, child), all: processCpu(child) };
    const r = await transcribe({ audio, encoding: AudioEncoding.AUDIO_ENCODING_PCM_S16LE, sampleRate: rate });
    const main = threadCpu(child, child) - before.main;
    const all = processCpu(child) - before.all;
    console.log(`Transcribe of ${r.durationSeconds.toFixed(1)} s: ML child CPU ${all} ticks, of which its main thread ${main}`);
    assert.ok(r.text.toLowerCase().includes('world'), `transcript "${r.text.slice(0, 80)}"`);
    assert.ok(all >= 50, `the transcription cost only ${all} CPU ticks: too little to compare`);
    assert.ok(main <= all * 0.15, `the child's main thread spent ${main} of ${all} CPU ticks`);
  });
});

/** utime + stime of one thread of a process, in clock ticks. */
function threadCpu(pid: number, tid: number): number {
  return cpuTicks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
}

/** utime + stime of a whole process (all its threads), in clock ticks. */
function processCpu(pid: number): number {
  return cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

function cpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
