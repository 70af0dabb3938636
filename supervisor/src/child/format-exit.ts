// Human-readable description of a child exit for errors, health and GetModel.
import type { ChildExit } from './ml-child.js';

/** "exited with code 1 (signal none): <last stderr lines>", keeping a prior hang message. */
export function formatExit(exit: ChildExit, prior: string): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
  const tail = exit.stderrTail.slice(-5).join(' | ');
  const base = `ML child ${how}${tail ? `; last stderr: ${tail}` : ''}`;
  return prior.includes('stopped answering') && exit.signal === 'SIGKILL' ? `${prior}; ${base}` : base;
}
