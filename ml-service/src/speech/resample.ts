// Band-limited resampling (Hann-windowed sinc) of mono audio, e.g. 22.05/44.1/48 kHz to Whisper's 16 kHz.

/** Zero crossings of the sinc kernel on each side, at the lower of the two rates. */
const ZERO_CROSSINGS = 16;

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/**
 * Resamples `input` from `from` Hz to `to` Hz. When downsampling, the kernel's cutoff is the target
 * Nyquist frequency so content above it is removed instead of aliasing. Weights are normalised per
 * output sample, so a constant signal stays constant (also at the edges).
 */
export function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (!(from > 0 && to > 0)) throw new RangeError(`sample rates must be positive, got ${from} and ${to}`);
  if (from === to || input.length === 0) return input;
  const ratio = to / from;
  const cutoff = Math.min(1, ratio);
  const radius = ZERO_CROSSINGS / cutoff;
  const out = new Float32Array(Math.max(1, Math.round(input.length * ratio)));
  for (let i = 0; i < out.length; i++) {
    const center = i / ratio;
    const lo = Math.max(0, Math.ceil(center - radius));
    const hi = Math.min(input.length - 1, Math.floor(center + radius));
    let sum = 0;
    let weights = 0;
    for (let j = lo; j <= hi; j++) {
      const x = j - center;
      const w = sinc(x * cutoff) * (0.5 + 0.5 * Math.cos((Math.PI * x) / radius));
      sum += input[j]! * w;
      weights += w;
    }
    out[i] = weights !== 0 ? sum / weights : 0;
  }
  return out;
}
