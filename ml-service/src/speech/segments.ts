// Whisper's timestamped chunks (transformers.js `return_timestamps: true`) as transcript segments.

/** A stretch of a transcript, in seconds from the start of the audio. */
export interface TimedSegment { readonly start: number; readonly end: number; readonly text: string }

/** A chunk of the pipeline's output: its text and [start, end] (end null when the audio ran out). */
interface AsrChunk { text: string; timestamp: readonly (number | null)[] }

/**
 * The pipeline's chunks as segments within [0, duration]: an open end is the audio's end, times
 * are clamped to the audio and kept in order, and empty chunks are dropped.
 */
export function segmentsOf(chunks: readonly AsrChunk[], duration: number): TimedSegment[] {
  const out: TimedSegment[] = [];
  let floor = 0;
  for (const c of chunks) {
    const text = c.text.trim();
    if (!text) continue;
    const start = Math.min(Math.max(c.timestamp[0] ?? floor, floor), duration);
    const end = Math.min(Math.max(c.timestamp[1] ?? duration, start), duration);
    out.push({ start, end, text });
    floor = end;
  }
  return out;
}
