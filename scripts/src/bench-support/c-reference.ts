// The llama2.c C reference for bench:text: compiled from a `run.c` beside the shared stories260K
// files when one is there and a C compiler exists, timed on the same 256 greedy tokens; otherwise
// the figure the shared notes give for a plain C forward pass, said to be a quoted figure.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the bench prints for the C reference. */
export interface CReference {
  /** Tokens per second, or undefined when neither a measurement nor a figure is available. */
  readonly tokensPerSecond: number | undefined;
  /** "measured" (compiled and run here) or where the figure comes from. */
  readonly source: string;
}

const hasCompiler = (): boolean => spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;

/** llama2.c prints "achieved tok/s: N" on stderr after generating. */
function measure(source: string, storiesDir: string, work: string, tokens: number): number {
  mkdirSync(work, { recursive: true });
  const binary = join(work, 'llama2c-run');
  execFileSync('cc', ['-O3', '-o', binary, source, '-lm'], { stdio: 'ignore' });
  const args = [join(storiesDir, 'stories260K.bin'), '-z', join(storiesDir, 'tok512.bin'), '-t', '0', '-n', String(tokens)];
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  const m = /achieved tok\/s:\s*([\d.]+)/.exec(`${r.stderr}${r.stdout}`);
  if (!m) throw new Error(`llama2.c reference printed no tok/s: ${r.stderr}`);
  return Number(m[1]);
}

/** The figure in the shared notes ("stories260K with a plain C forward pass: ~3,500 tokens/s"). */
function quoted(shared: string): CReference {
  const notes = join(shared, 'DESIGN.md');
  const text = existsSync(notes) ? readFileSync(notes, 'utf8') : '';
  const m = /stories260K with a plain C forward pass: ~([\d,]+) tokens\/s/.exec(text);
  return m ? { tokensPerSecond: Number(m[1]!.replace(/,/g, '')), source: 'figure quoted from the shared DESIGN.md, not measured here' } : { tokensPerSecond: undefined, source: 'no C source and no quoted figure found' };
}

/** Measures the C reference when it can be built here, else returns the quoted figure. */
export function cReference(shared: string, work: string, tokens: number): CReference {
  const storiesDir = join(shared, 'models', 'stories260K');
  const source = join(storiesDir, 'run.c');
  if (existsSync(source) && hasCompiler()) return { tokensPerSecond: measure(source, storiesDir, work, tokens), source: 'measured (run.c compiled with cc -O3)' };
  const why = existsSync(source) ? 'no C compiler' : 'no llama2.c run.c in the shared folder';
  const q = quoted(shared);
  return { ...q, source: `${why}; ${q.source}` };
}
