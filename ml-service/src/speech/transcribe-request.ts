// Serves one Transcribe request: decodes the audio bytes to 16 kHz mono and runs the recognizer.

import { AudioEncoding, type TranscribeRequest, type TranscribeResponse } from '@tabagent/protos/v1/text';
import { decodeAudio, type AudioFormat } from './audio-input.js';
import { invalidAudio } from './errors.js';
import type { SpeechHandle } from './speech-handle.js';

const FORMATS: Readonly<Record<number, AudioFormat>> = {
  [AudioEncoding.AUDIO_ENCODING_UNSPECIFIED]: 'auto',
  [AudioEncoding.AUDIO_ENCODING_WAV]: 'wav',
  [AudioEncoding.AUDIO_ENCODING_PCM_S16LE]: 's16le',
  [AudioEncoding.AUDIO_ENCODING_PCM_F32LE]: 'f32le',
};

/** Longest audio accepted in one request. */
export const MAX_AUDIO_SECONDS = 600;

/** Transcribes the audio of one request. */
export async function serveTranscribe(req: TranscribeRequest, h: SpeechHandle): Promise<TranscribeResponse> {
  const format = FORMATS[req.encoding];
  if (format === undefined) throw invalidAudio('encoding', `unknown value ${req.encoding}`);
  if (req.language !== '' && !/^[A-Za-z][A-Za-z -]{1,30}$/.test(req.language)) throw invalidAudio('language', `"${req.language}" is not a language name or code`);
  const audio = decodeAudio(req.audio, format, req.sampleRate);
  if (audio.durationSeconds > MAX_AUDIO_SECONDS) throw invalidAudio('audio', `is ${audio.durationSeconds.toFixed(0)} s long; at most ${MAX_AUDIO_SECONDS} s are accepted`);
  const temperature = req.temperature ?? 0;
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 1) throw invalidAudio('temperature', `${temperature} is outside [0, 1]`);
  const t = await h.model.transcribe(audio.samples, { language: req.language.toLowerCase(), timestamps: req.timestamps, temperature });
  const segments = (t.segments ?? []).map((s) => ({ startSeconds: s.start, endSeconds: s.end, text: s.text }));
  return { text: t.text, durationSeconds: audio.durationSeconds, segments };
}
