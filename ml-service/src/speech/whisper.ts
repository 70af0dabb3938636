// Speech-to-text with transformers.js' automatic-speech-recognition pipeline (Whisper), files read
// through a readFile callback.

import { pipeline, type AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import type { Logger } from 'pino';
import { fileRouter, type ReadFile } from '../runtime/transformers-files.js';
import { SpeechError, invalidAudio } from './errors.js';
import { WHISPER_SAMPLE_RATE } from './audio-input.js';
import { segmentsOf, type TimedSegment } from './segments.js';

/** Whisper's window; longer audio is transcribed in overlapping chunks. */
const WINDOW_SECONDS = 30;

/** Options of loadSpeechModel. */
export interface LoadSpeechModelOptions {
  readonly id: string;
  readonly readFile: ReadFile;
  /** transformers.js device (onnxruntime provider), default cpu. */
  readonly device?: string;
  readonly threads?: number;
  /** Weight variant, e.g. q8 (files `*_quantized.onnx`). */
  readonly dtype?: string;
  readonly logger?: Logger;
}

/** Options of one transcription. */
export interface TranscribeOptions {
  /** A hint such as "en" or "english" ('' = detect). */
  readonly language: string;
  /** Also give the segments with their times (Whisper's timestamp tokens). */
  readonly timestamps?: boolean;
  /** Decoder sampling temperature; 0 or unset = greedy. */
  readonly temperature?: number;
}

/** A transcript; `segments` only when timestamps were asked for. */
export interface Transcript { readonly text: string; readonly segments?: readonly TimedSegment[] }

/** A loaded speech recognizer. */
export interface SpeechModel {
  readonly id: string;
  /** Transcribes 16 kHz mono samples. */
  transcribe(samples: Float32Array, opts: TranscribeOptions): Promise<Transcript>;
  dispose(): Promise<void>;
}

/** Loads a Whisper model folder (config, tokenizer, preprocessor, encoder + merged decoder). */
export async function loadSpeechModel(opts: LoadSpeechModelOptions): Promise<SpeechModel> {
  const started = performance.now();
  const { modelId, release } = fileRouter().register(opts.readFile);
  let asr: AutomaticSpeechRecognitionPipeline;
  try {
    asr = (await pipeline('automatic-speech-recognition', modelId, {
      device: (opts.device ?? 'cpu') as 'cpu',
      ...(opts.dtype ? { dtype: opts.dtype as 'q8' } : {}),
      session_options: opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {},
    })) as AutomaticSpeechRecognitionPipeline;
  } catch (err) {
    throw new SpeechError('SPEECH_MODEL_LOAD_FAILED', `loading speech model ${opts.id} failed: ${(err as Error).message}`, undefined, { cause: err });
  } finally {
    release();
  }
  opts.logger?.info({ model: opts.id, ms: Math.round(performance.now() - started) }, 'speech model loaded');
  let disposed = false;
  return {
    id: opts.id,
    async transcribe(samples, t) {
      if (disposed) throw new SpeechError('SPEECH_MODEL_LOAD_FAILED', `speech model ${opts.id} has been disposed`);
      const long = samples.length > WINDOW_SECONDS * WHISPER_SAMPLE_RATE;
      const { language } = t;
      const temperature = t.temperature ?? 0;
      try {
        const out = await asr(samples, {
          ...(language ? { language, task: 'transcribe' } : {}),
          ...(long ? { chunk_length_s: WINDOW_SECONDS, stride_length_s: 5 } : {}),
          ...(t.timestamps ? { return_timestamps: true } : {}),
          ...(temperature > 0 ? { do_sample: true, temperature } : {}),
        });
        const one = Array.isArray(out) ? out[0] : out;
        const text = (one?.text ?? '').trim();
        if (!t.timestamps) return { text };
        return { text, segments: segmentsOf(one?.chunks ?? [], samples.length / WHISPER_SAMPLE_RATE) };
      } catch (err) {
        const message = (err as Error).message ?? '';
        if (language && /language/i.test(message)) throw invalidAudio('language', message);
        throw err;
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await asr.dispose();
    },
  };
}
