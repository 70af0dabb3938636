// Public surface of the speech-to-text engine.

export { decodeAudio, nonAudioReason, WHISPER_SAMPLE_RATE, type AudioFormat, type DecodedAudio } from './audio-input.js';
export { SpeechError, invalidAudio, type SpeechErrorCode } from './errors.js';
export { resample } from './resample.js';
export { SpeechHandle, asSpeechHandle } from './speech-handle.js';
export { isWav, parseWav, encodeWav16, type PcmAudio } from './wav.js';
export { loadSpeechModel, type LoadSpeechModelOptions, type SpeechModel, type Transcript, type TranscribeOptions } from './whisper.js';
export { segmentsOf, type TimedSegment } from './segments.js';
export { serveTranscribe, MAX_AUDIO_SECONDS } from './transcribe-request.js';
