// Class ids to label strings, following MediaPipe's DetectionLabelIdToTextCalculator (a label map
// indexed by class id); and the reverse lookup a category allowlist needs.

import { invalidArgument } from '../errors.js';

/** The label of `classId`, or its number as text when the map has none (as MediaPipe leaves the id). */
export function labelOf(labels: readonly string[], classId: number): string {
  return labels[classId] ?? String(classId);
}

/** Class ids of the allowed labels; an unknown label is INVALID_ARGUMENT on `field`. */
export function classIdsOf(labels: readonly string[], allow: readonly string[], field: string): Set<number> {
  const ids = new Set<number>();
  for (const name of allow) {
    const id = labels.indexOf(name);
    if (id < 0) throw invalidArgument(field, `unknown label "${name}" (the model's labels are e.g. ${labels.slice(0, 5).join(', ')})`);
    ids.add(id);
  }
  return ids;
}
