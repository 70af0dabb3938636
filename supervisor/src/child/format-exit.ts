// Human-readable description of a child exit for errors, health and GetModel: how it ended (exit
// code or signal) and its last stderr lines, prefixed by the hang diagnosis when the lifecycle
// killed it for not answering.
import type { ChildExit } from './ml-child.js';

/** How many stderr lines an error message quotes. */
export const QUOTED_STDERR_LINES = 5;

/**
 * "ML child exited with code 3; last stderr: <lines>" for a process, "ML service connection lost:
 * <why>" for an attached service; `hangNote` (may be empty) is put first.
 */
export function formatExit(exit: ChildExit, hangNote: string, remote = false): string {
  const tail = exit.stderrTail.slice(-QUOTED_STDERR_LINES).join(' | ');
  let base: string;
  if (remote) base = `ML service connection lost${tail ? `: ${tail}` : ''}`;
  else {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
    base = `ML child ${how}${tail ? `; last stderr: ${tail}` : ''}`;
  }
  return hangNote ? `${hangNote}; ${base}` : base;
}
