// A bounded tail of the child's stderr lines, kept for error reports (crash messages, GetModel).

/** Keeps the last `max` lines. */
export class LineTail {
  readonly #lines: string[] = [];
  readonly #max: number;

  constructor(max = 40) {
    this.#max = max;
  }

  /** Adds a line. */
  push(line: string): void {
    this.#lines.push(line.length > 2000 ? `${line.slice(0, 2000)}…` : line);
    if (this.#lines.length > this.#max) this.#lines.splice(0, this.#lines.length - this.#max);
  }

  /** A copy of the kept lines, oldest first. */
  lines(): string[] {
    return [...this.#lines];
  }
}

/** Renders a pino JSON line as short text for error messages ("level msg"), or the raw line. */
export function summarizeLogLine(line: string): string {
  try {
    const j = JSON.parse(line) as { msg?: unknown; err?: unknown };
    if (typeof j.msg === 'string') {
      const err = typeof j.err === 'string' ? j.err : (j.err as { message?: string } | undefined)?.message;
      return err ? `${j.msg}: ${err}` : j.msg;
    }
  } catch {
    // not JSON
  }
  return line;
}
