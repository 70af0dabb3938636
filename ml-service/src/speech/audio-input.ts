// Turns the bytes of a Transcribe request into 16 kHz mono samples: WAV (by header or by request),
// raw s16le / f32le PCM at a given rate; rejects bytes that are clearly not audio.

import { invalidAudio } from './errors.js';
import { resample } from './resample.js';
import { isWav, parseWav, type PcmAudio } from './wav.js';

/** Encodings of request audio (mirrors the public AudioEncoding enum). */
export type AudioFormat = 'auto' | 'wav' | 's16le' | 'f32le';

/** The sample rate Whisper expects. */
export const WHISPER_SAMPLE_RATE = 16_000;

/** Magic numbers of common non-PCM files, so they are reported instead of transcribed as noise. */
const SIGNATURES: readonly [string, number[]][] = [
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['a ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['a gzip archive', [0x1f, 0x8b]],
  ['compressed audio (MP3 with ID3 tag)', [0x49, 0x44, 0x33]],
  ['compressed audio (Ogg)', [0x4f, 0x67, 0x67, 0x53]],
  ['compressed audio (FLAC)', [0x66, 0x4c, 0x61, 0x43]],
];

/** Describes why `bytes` cannot be raw PCM, or returns undefined when they might be. */
export function nonAudioReason(bytes: Uint8Array): string | undefined {
  for (const [what, sig] of SIGNATURES) if (sig.every((b, i) => bytes[i] === b)) return `looks like ${what}, not PCM or WAV audio`;
  if (bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === 'ftyp') return 'looks like an MP4/M4A container, not PCM or WAV audio';
  // Text: PCM whose every byte is printable ASCII is practically impossible.
  const n = Math.min(bytes.length, 4096);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d) printable++;
  }
  if (n >= 16 && printable === n) return 'is text, not PCM or WAV audio';
  return undefined;
}

function pcm16(bytes: Uint8Array): Float32Array {
  if (bytes.length % 2 !== 0) throw invalidAudio('audio', `s16le PCM must have an even number of bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}

function pcmF32(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) throw invalidAudio('audio', `f32le PCM must be a multiple of 4 bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v) || Math.abs(v) > 16) throw invalidAudio('audio', `f32le sample ${i} is ${v}; expected values around [-1, 1]`);
    out[i] = v;
  }
  return out;
}

/** Decoded request audio. */
export interface DecodedAudio {
  /** Mono samples at 16 kHz. */
  readonly samples: Float32Array;
  /** Duration of the input in seconds. */
  readonly durationSeconds: number;
  /** The input's own sample rate. */
  readonly sourceRate: number;
}

/** Decodes request audio to 16 kHz mono. `sampleRate` applies to raw PCM only (0 = 16000). */
export function decodeAudio(bytes: Uint8Array, format: AudioFormat, sampleRate: number): DecodedAudio {
  if (bytes.length === 0) throw invalidAudio('audio', 'is empty');
  const wav = format === 'wav' || (format === 'auto' && isWav(bytes));
  let pcm: PcmAudio;
  if (wav) {
    pcm = parseWav(bytes);
  } else {
    const reason = nonAudioReason(bytes);
    if (reason) throw invalidAudio('audio', reason);
    const rate = sampleRate === 0 ? WHISPER_SAMPLE_RATE : sampleRate;
    if (!Number.isInteger(rate) || rate < 1000 || rate > 384_000) throw invalidAudio('sample_rate', `must be 0 or from 1000 to 384000 Hz, got ${sampleRate}`);
    pcm = { samples: format === 'f32le' ? pcmF32(bytes) : pcm16(bytes), sampleRate: rate };
  }
  if (pcm.samples.length === 0) throw invalidAudio('audio', 'contains no samples');
  return {
    samples: resample(pcm.samples, pcm.sampleRate, WHISPER_SAMPLE_RATE),
    durationSeconds: pcm.samples.length / pcm.sampleRate,
    sourceRate: pcm.sampleRate,
  };
}
