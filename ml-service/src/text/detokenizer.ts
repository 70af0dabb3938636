// Incremental detokenizer: turns a growing token list into text deltas that never split a character.

/** Decodes token ids to text (special tokens skipped). */
export type DecodeFn = (ids: readonly number[]) => string;

/** Prompt tokens kept as left context so word-boundary spaces decode as in the full text. */
const CONTEXT_TOKENS = 5;
const REPLACEMENT = '\uFFFD';

/**
 * Decodes a window that starts a few tokens back and emits only the new suffix, and only once the
 * decoded text no longer ends in U+FFFD (an incomplete UTF-8 sequence from byte-fallback tokens).
 */
export class Detokenizer {
  private readonly tokens: number[];
  private prefixOffset: number;
  private readOffset: number;

  constructor(private readonly decode: DecodeFn, promptIds: readonly number[]) {
    this.tokens = promptIds.slice(-CONTEXT_TOKENS);
    this.prefixOffset = 0;
    this.readOffset = this.tokens.length;
  }

  /** Adds one generated token; returns the newly completed text ('' while a character is incomplete). */
  push(id: number): string {
    this.tokens.push(id);
    return this.advance(false);
  }

  /** Returns whatever is still pending, complete or not (end of generation). */
  flush(): string {
    return this.advance(true);
  }

  private advance(force: boolean): string {
    if (this.readOffset === this.tokens.length) return '';
    const prefix = this.decode(this.tokens.slice(this.prefixOffset, this.readOffset));
    const full = this.decode(this.tokens.slice(this.prefixOffset));
    if (!force && (full.length <= prefix.length || full.endsWith(REPLACEMENT))) return '';
    const delta = full.startsWith(prefix) ? full.slice(prefix.length) : full.slice(commonPrefixLength(prefix, full));
    this.prefixOffset = this.readOffset;
    this.readOffset = this.tokens.length;
    this.compact();
    return delta;
  }

  /** Drops tokens before the window so memory stays bounded on long generations. */
  private compact(): void {
    if (this.prefixOffset > 64) {
      this.tokens.splice(0, this.prefixOffset);
      this.readOffset -= this.prefixOffset;
      this.prefixOffset = 0;
    }
  }
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
