// The machine-readable last line every benchmark prints (`BENCH-SUMMARY {json}`), which bench (the
// one-report runner) collects: named figures with their unit and, for a speed target, whether it was met.

/** Prefix of the summary line. */
export const SUMMARY_PREFIX = 'BENCH-SUMMARY ';

/** One reported figure. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target as text ("≥ 0.95", "< 1000 ms") when the figure has one. */
  readonly target?: string;
  readonly met?: boolean;
}

/** What one benchmark reports. */
export interface BenchSummary {
  readonly bench: string;
  readonly figures: readonly Figure[];
}

/** A figure, rounded to 4 significant digits so the line stays short. */
export function figure(name: string, value: number, unit: string, target?: { text: string; met: boolean }): Figure {
  const v = Number.isFinite(value) ? Number(value.toPrecision(4)) : NaN;
  return { name, value: v, unit, ...(target ? { target: target.text, met: target.met } : {}) };
}

/** Prints the summary line on stdout. */
export function printSummary(bench: string, figures: readonly Figure[]): void {
  process.stdout.write(`${SUMMARY_PREFIX}${JSON.stringify({ bench, figures } satisfies BenchSummary)}\n`);
}

/** The last summary line in `output`, or undefined when there is none (or it does not parse). */
export function parseSummary(output: string): BenchSummary | undefined {
  const line = output.split('\n').reverse().find((l) => l.startsWith(SUMMARY_PREFIX));
  if (line === undefined) return undefined;
  try {
    const s = JSON.parse(line.slice(SUMMARY_PREFIX.length)) as BenchSummary;
    return typeof s.bench === 'string' && Array.isArray(s.figures) ? s : undefined;
  } catch {
    return undefined;
  }
}
