// Checks of request and pipeline options shared by every vision task: each returns the value when it
// is valid and otherwise throws VISION_INVALID_ARGUMENT naming the field.

import { invalidArgument } from './errors.js';

/** Checks a probability-like option; `field` names it in the error. */
export function checkUnit(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw invalidArgument(field, `must be a number in [0, 1], got ${String(value)}`);
  }
  return value;
}

export function checkBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalidArgument(field, `must be a boolean, got ${String(value)}`);
  return value;
}

export function checkIntRange(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(field, `must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}
