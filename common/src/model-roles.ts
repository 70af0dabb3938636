// The "x-tabagent-models" metadata entry: which model id the child uses for each role of a request
// (e.g. detector=mediapipe/face-detection-short,landmarks=mediapipe/face-mesh).

/** role → model id. */
export type ModelRoles = Record<string, string>;

/** Metadata key carrying the roles. */
export const MODELS_KEY = 'x-tabagent-models';

/** Serializes roles: "detector=a,landmarks=b". */
export function encodeRoles(roles: ModelRoles): string {
  return Object.entries(roles).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Parses the metadata entry back. */
export function decodeRoles(raw: string): ModelRoles {
  const out: ModelRoles = {};
  for (const part of raw.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}
