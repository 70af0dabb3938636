// Which public surface of the supervisor a call came in on. The HTTP routes reach the gRPC API on
// loopback and mark their calls with this metadata entry, so per-call metrics (time to first token,
// inter-token latency) can tell HTTP from gRPC clients. It is a label only: nothing else depends on it.

/** Metadata key naming the surface of a call forwarded by the HTTP routes. */
export const SURFACE_KEY = 'x-tabagent-surface';

/** The surfaces a call can come from. */
export type Surface = 'grpc' | 'http';

/** The surface of a call from its metadata entry (anything but "http" is gRPC). */
export function surfaceOf(values: readonly unknown[]): Surface {
  return values[0] === 'http' ? 'http' : 'grpc';
}
