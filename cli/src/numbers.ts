// Number flags read by commander: a value that is not a number in the flag's range is refused at
// parse time (exit 2 with the usage), instead of reaching the server as NaN or a value its field
// cannot hold.
import { InvalidArgumentError } from 'commander';

/** A parser of an integer flag in [min, max]. */
export function intFlag(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^[+-]?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`Expected an integer from ${min} to ${max}.`);
    return n;
  };
}

/** A parser of a finite number flag in [min, max]. */
export function numberFlag(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`Expected a number from ${min} to ${max}.`);
    return n;
  };
}

/** The largest uint32 (max tokens, threads). */
export const UINT32_MAX = 0xffffffff;
