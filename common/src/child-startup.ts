// The one control line an ML service prints on stdout once it listens, and its parser. The child
// writes it; the supervisor's spawner (and anything else that starts a child) reads it. Every other
// stdout line is not a control line.

/** The control line the child prints once it listens. */
export interface ListeningMessage {
  event: 'listening';
  /** host:port the child's gRPC server is bound to. */
  address: string;
  pid: number;
}

/** The control line for `address`, newline-terminated, ready to write to stdout. */
export function formatListening(address: string, pid: number): string {
  const msg: ListeningMessage = { event: 'listening', address, pid };
  return `${JSON.stringify(msg)}\n`;
}

/** The listening message in one stdout line, or undefined when the line is anything else. */
export function parseListening(line: string): ListeningMessage | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof msg !== 'object' || msg === null) return undefined;
  const m = msg as Record<string, unknown>;
  if (m['event'] !== 'listening' || typeof m['address'] !== 'string' || m['address'] === '') return undefined;
  return { event: 'listening', address: m['address'], pid: typeof m['pid'] === 'number' ? m['pid'] : 0 };
}
