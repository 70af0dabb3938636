// The response formats of /v1/audio/transcriptions: json, text, verbose_json (segments with times),
// srt (SubRip) and vtt (WebVTT), from one gRPC TranscribeResponse.
import type { TranscribeResponse } from '@tabagent/protos/v1/text';

/** The formats OpenAI's API defines. */
export const TRANSCRIPT_FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

/** Whether the format needs the segments' times. */
export const needsTimestamps = (f: TranscriptFormat): boolean => f === 'verbose_json' || f === 'srt' || f === 'vtt';

/** A body and its content type. */
export interface FormattedTranscript { contentType: string; body: string | Record<string, unknown> }

/** hh:mm:ss plus milliseconds after `sep` ("," for SubRip, "." for WebVTT). */
export function clock(seconds: number, sep: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000), 2)}:${pad(Math.floor(ms / 60_000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}${sep}${pad(ms % 1000, 3)}`;
}

/** One cue's text: no blank lines inside (they would end the cue), "-->" kept out of WebVTT. */
const cueText = (text: string): string => text.replace(/\n\s*\n/g, '\n').replace(/-->/g, '->');

/** Formats a transcript; `language` and `temperature` are echoed in verbose_json. */
export function formatTranscript(r: TranscribeResponse, f: TranscriptFormat, language: string, temperature: number): FormattedTranscript {
  const cues = r.segments.map((s, i) => ({ n: i + 1, start: s.startSeconds, end: s.endSeconds, text: cueText(s.text.trim()) }));
  switch (f) {
    case 'json':
      return { contentType: 'application/json', body: { text: r.text } };
    case 'text':
      return { contentType: 'text/plain; charset=utf-8', body: `${r.text}\n` };
    case 'verbose_json':
      return {
        contentType: 'application/json',
        body: {
          task: 'transcribe', language, duration: r.durationSeconds, text: r.text,
          segments: r.segments.map((s, id) => ({ id, start: s.startSeconds, end: s.endSeconds, text: s.text, temperature })),
        },
      };
    case 'srt':
      return { contentType: 'application/x-subrip; charset=utf-8', body: cues.map((c) => `${c.n}\n${clock(c.start, ',')} --> ${clock(c.end, ',')}\n${c.text}\n\n`).join('') };
    case 'vtt':
      return { contentType: 'text/vtt; charset=utf-8', body: `WEBVTT\n\n${cues.map((c) => `${clock(c.start, '.')} --> ${clock(c.end, '.')}\n${c.text}\n\n`).join('')}` };
  }
}
