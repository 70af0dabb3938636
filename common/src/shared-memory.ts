// The "x-tabagent-shm" metadata entry: the shared-memory regions registered with the supervisor,
// resolved to files, sent with every Vision call to the child so it can read Frame.shared_memory
// itself (the frame's pixels never cross the supervisor). Only the supervisor sets it; the child
// accepts calls from the supervisor alone (per-spawn secret).

/** One registered region as the child sees it. */
export interface ResolvedRegion {
  readonly name: string;
  /** Absolute path of the file. */
  readonly path: string;
  /** Usable bytes from the start of the file. */
  readonly byteSize: number;
}

/** Metadata key carrying the regions. */
export const SHM_KEY = 'x-tabagent-shm';

/** Serializes regions (URI-encoded JSON: metadata values must be printable ASCII). */
export function encodeRegions(regions: readonly ResolvedRegion[]): string {
  return encodeURIComponent(JSON.stringify(regions.map((r) => [r.name, r.path, r.byteSize])));
}

/** Parses the metadata entry back; a malformed entry yields no regions. */
export function decodeRegions(raw: string): ResolvedRegion[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(raw));
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out: ResolvedRegion[] = [];
  for (const e of parsed as unknown[]) {
    if (!Array.isArray(e)) continue;
    const [name, path, byteSize] = e as unknown[];
    if (typeof name === 'string' && typeof path === 'string' && typeof byteSize === 'number' && Number.isSafeInteger(byteSize) && byteSize >= 0) {
      out.push({ name, path, byteSize });
    }
  }
  return out;
}
